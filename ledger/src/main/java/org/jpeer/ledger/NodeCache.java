package org.jpeer.ledger;

/**
 * Bucket nodes kept in memory ({@code bucketCacheSize} MB), one array slot per node so a lookup is
 * an index, not a hash-map probe. Nodes are only replaced by the executor thread, between prepares.
 */
final class NodeCache {
  private final byte[][][][] nodes; // [level][bucket] → child hashes; null when not cached
  private final long limitBytes;
  private final long nodeBytes;
  private long bytes;

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
  }
}
