package org.jpeer.ledger;

import org.jpeer.crypto.Hashes;
/**
 * Bucket nodes kept in memory ({@code bucketCacheSize} MB), one array slot per node so a lookup is
 * an index, not a hash-map probe. Nodes are only replaced by the executor thread, between prepares.
 */
final class NodeCache {
  private final byte[][][][] nodes; // [level][bucket] → child hashes; null when not cached
  private final long limitBytes;
  private final long nodeBytes;
  private long bytes;
  // True while every stored node is cached, so that a miss means "no such node" without a read.
  private boolean complete;

  /** {@code levelSizes[l]} = number of buckets at level l, for the levels that have stored nodes. */
  NodeCache(int[] levelSizes, int grouping, long limitBytes) {
    this.limitBytes = limitBytes;
    // an array of G references plus the child hashes it usually holds, roughly
    this.nodeBytes = 16 + grouping * (8L + 16 + Hashes.LENGTH);
    this.nodes = new byte[limitBytes > 0 ? levelSizes.length : 0][][][];
    for (int l = 0; l < nodes.length; l++) {
      nodes[l] = new byte[levelSizes[l] + 1][][];
    }
  }

  boolean full() {
    return bytes >= limitBytes;
  }

  /** Whether the cache holds every stored node: a node it lacks does not exist. */
  boolean complete() {
    return complete;
  }

  /** Called after loading every stored node that fitted: complete if all of them did. */
  void loaded(boolean allStoredNodes) {
    complete = allStoredNodes && nodes.length != 0;
  }

  byte[][] get(int level, int bucket) {
    return nodes.length == 0 ? null : nodes[level][bucket];
  }

  /** Replaces a cached node, or adds it while there is room. */
  void put(int level, int bucket, byte[][] children) {
    if (nodes.length == 0) {
      return;
    }
    if (nodes[level][bucket] == null) {
      if (full()) {
        complete = false;
        return;
      }
      bytes += nodeBytes;
    }
    nodes[level][bucket] = children;
  }

  void remove(int level, int bucket) {
    if (nodes.length != 0 && nodes[level][bucket] != null) {
      nodes[level][bucket] = null;
      bytes -= nodeBytes;
    }
  }

  void clear() {
    for (byte[][][] level : nodes) {
      java.util.Arrays.fill(level, null);
    }
    bytes = 0;
    complete = false;
  }
}
