package org.jpeer.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Fabric's bucket tree (ledger.md §7.2–7.4): keys hash into leaf buckets, bucket hashes roll up a
 * tree of fan-out G, the root's hash is the state hash. Data nodes and bucket nodes sit in
 * {@code stateCF} exactly as in the original; a key-ordered copy of the values sits in
 * {@code indexesCF} under prefix {@code 0x11} because the original's bucket-order scans are neither
 * ordered nor affordable with a million buckets. Only buckets touched by a delta are recomputed.
 */
final class BucketTreeState implements StateStore {
  static final byte[] ORDERED_PREFIX = {0x11};
  private static final byte[] NO_PREFIX = new byte[0];

  /** How much the last {@link #prepare} recomputed; lets tests check that hashing is incremental. */
  record Work(int leafBuckets, int nodes) {}

  private final Store store;
  private final int numBuckets;
  private final int grouping;
  private final int lowest;
  private final long cacheLimitBytes;
  private final HashMap<Long, byte[][]> cache = new HashMap<>();
  private long cacheBytes;
  private byte[] committedRoot;
  private Work lastWork = new Work(0, 0);

  BucketTreeState(Store store, int numBuckets, int grouping, int cacheSizeMb) {
    this.store = store;
    this.numBuckets = numBuckets;
    this.grouping = grouping;
    this.cacheLimitBytes = Math.max(0, cacheSizeMb) * 1024L * 1024L;
    int levels = 1;
    for (long size = numBuckets; size > 1; size = (size + grouping - 1) / grouping) {
      levels++;
    }
    this.lowest = levels - 1;
    reload();
  }

  int lowestLevel() {
    return lowest;
  }

  Work lastWork() {
    return lastWork;
  }

  @Override
  public ColumnFamilyHandle orderedCf() {
    return store.indexes;
  }

  @Override
  public byte[] orderedPrefix() {
    return ORDERED_PREFIX;
  }

  @Override
  public byte[] committedHash() {
    return committedRoot;
  }

  int leafBucket(byte[] composite) {
    return (int) (Codec.fnv1a32(composite, 0, composite.length) % numBuckets) + 1;
  }

  @Override
  public Prepared prepare(StateDelta delta) {
    if (delta.isEmpty()) {
      lastWork = new Work(0, 0);
      return new Prepared(committedRoot, Map.of());
    }
    TreeMap<Integer, TreeMap<byte[], byte[]>> leaves = new TreeMap<>();
    for (String cc : delta.chaincodeIds()) {
      for (Map.Entry<String, StateDelta.Update> e : delta.updates(cc).entrySet()) {
        byte[] composite = StateStore.compositeKey(NO_PREFIX, cc, e.getKey());
        leaves.computeIfAbsent(leafBucket(composite), b -> new TreeMap<>(Arrays::compareUnsigned))
            .put(composite, e.getValue().value());
      }
    }
    HashMap<Integer, byte[]> current = new HashMap<>();
    Buf buf = new Buf(1024);
    try (RocksIterator it = store.db.newIterator(store.state)) {
      for (Map.Entry<Integer, TreeMap<byte[], byte[]>> leaf : leaves.entrySet()) {
        current.put(leaf.getKey(), leafHash(it, leaf.getKey(), leaf.getValue(), buf));
      }
    }
    int nodeCount = 0;
    Map<Long, byte[][]> nodes = new HashMap<>();
    for (int level = lowest - 1; level >= 0; level--) {
      HashMap<Integer, byte[][]> parents = new HashMap<>();
      for (Map.Entry<Integer, byte[]> e : current.entrySet()) {
        int child = e.getKey();
        int parent = (child - 1) / grouping + 1;
        byte[][] node = parents.get(parent);
        if (node == null) {
          node = loadNode(level, parent).clone();
          parents.put(parent, node);
        }
        node[(child - 1) % grouping] = e.getValue();
      }
      HashMap<Integer, byte[]> next = new HashMap<>();
      for (Map.Entry<Integer, byte[][]> e : parents.entrySet()) {
        byte[] hash = nodeHash(e.getValue(), buf);
        nodes.put(nodeKey(level, e.getKey()), hash == null ? null : e.getValue());
        next.put(e.getKey(), hash);
      }
      nodeCount += parents.size();
      current = next;
    }
    lastWork = new Work(leaves.size(), nodeCount);
    return new Prepared(current.get(1), nodes);
  }

  /** The hash of one leaf bucket: its stored entries overlaid by {@code changes} (null value = deleted). */
  private byte[] leafHash(RocksIterator it, int bucket, TreeMap<byte[], byte[]> changes, Buf buf) {
    byte[] prefix = bucketPrefix(bucket);
    TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
    it.seek(prefix);
    while (it.isValid()) {
      byte[] k = it.key();
      if (!startsWith(k, prefix)) {
        break;
      }
      entries.put(Arrays.copyOfRange(k, prefix.length, k.length), it.value());
      it.next();
    }
    checkStatus(it);
    for (Map.Entry<byte[], byte[]> c : changes.entrySet()) {
      if (c.getValue() == null) {
        entries.remove(c.getKey());
      } else {
        entries.put(c.getKey(), c.getValue());
      }
    }
    if (entries.isEmpty()) {
      return null;
    }
    List<Map.Entry<byte[], byte[]>> list = new ArrayList<>(entries.entrySet());
    buf.reset();
    int i = 0;
    while (i < list.size()) {
      byte[] first = list.get(i).getKey();
      int ccLength = indexOfZero(first);
      int j = i + 1;
      while (j < list.size() && sameChaincode(list.get(j).getKey(), first, ccLength)) {
        j++;
      }
      buf.varint(ccLength).put(first, 0, ccLength).varint(j - i);
      for (int m = i; m < j; m++) {
        byte[] composite = list.get(m).getKey();
        byte[] value = list.get(m).getValue();
        int keyLength = composite.length - ccLength - 1;
        buf.varint(keyLength).put(composite, ccLength + 1, keyLength);
        buf.varint(value.length).put(value);
      }
      i = j;
    }
    return Hashes.shake256(buf.array(), 0, buf.length());
  }

  /** No child hash → none; exactly one → that hash unchanged; more → H(concatenation). */
  private static byte[] nodeHash(byte[][] children, Buf buf) {
    byte[] only = null;
    int count = 0;
    for (byte[] c : children) {
      if (c != null) {
        only = c;
        count++;
      }
    }
    if (count <= 1) {
      return only;
    }
    buf.reset();
    for (byte[] c : children) {
      if (c != null) {
        buf.put(c);
      }
    }
    return Hashes.shake256(buf.array(), 0, buf.length());
  }

  @Override
  public void write(WriteBatch batch, StateDelta delta, Prepared prepared) throws RocksDBException {
    for (String cc : delta.chaincodeIds()) {
      for (Map.Entry<String, StateDelta.Update> e : delta.updates(cc).entrySet()) {
        byte[] composite = StateStore.compositeKey(NO_PREFIX, cc, e.getKey());
        byte[] dataKey = concat(bucketPrefix(leafBucket(composite)), composite);
        byte[] orderedKey = concat(ORDERED_PREFIX, composite);
        byte[] value = e.getValue().value();
        if (value == null) {
          batch.delete(store.state, dataKey);
          batch.delete(store.indexes, orderedKey);
        } else {
          batch.put(store.state, dataKey, value);
          batch.put(store.indexes, orderedKey, value);
        }
      }
    }
    Buf buf = new Buf(grouping * 66 + 8);
    for (Map.Entry<Long, byte[][]> node : prepared.nodes().entrySet()) {
      byte[] key = nodeStorageKey(node.getKey());
      if (node.getValue() == null) {
        batch.delete(store.state, key);
      } else {
        buf.reset();
        for (byte[] child : node.getValue()) {
          if (child == null) {
            buf.varint(0);
          } else {
            buf.lengthPrefixed(child);
          }
        }
        batch.put(store.state, key, buf.toArray());
      }
    }
  }

  @Override
  public void committed(Prepared prepared) {
    for (Map.Entry<Long, byte[][]> node : prepared.nodes().entrySet()) {
      if (node.getValue() == null) {
        byte[][] removed = cache.remove(node.getKey());
        if (removed != null) {
          cacheBytes -= nodeSize(removed);
        }
      } else {
        cachePut(node.getKey(), node.getValue());
      }
    }
    committedRoot = prepared.hash();
  }

  @Override
  public void reload() {
    cache.clear();
    cacheBytes = 0;
    if (cacheLimitBytes > 0) {
      try (RocksIterator it = store.db.newIterator(store.state)) {
        for (it.seek(new byte[] {0}); it.isValid() && it.key()[0] == 0 && cacheBytes < cacheLimitBytes; it.next()) {
          byte[] k = it.key();
          Codec.Reader r = new Codec.Reader(Arrays.copyOfRange(k, 1, k.length), "bucket node key");
          long level = r.varint();
          long bucket = r.varint();
          cachePut(nodeKey((int) level, (int) bucket), decodeNode(it.value(), level, bucket));
        }
        checkStatus(it);
      }
    }
    if (lowest == 0) {
      try (RocksIterator it = store.db.newIterator(store.state)) {
        committedRoot = leafHash(it, 1, new TreeMap<>(Arrays::compareUnsigned), new Buf(256));
      }
    } else {
      committedRoot = nodeHash(loadNode(0, 1), new Buf(grouping * 64));
    }
  }

  private void cachePut(long key, byte[][] node) {
    if (cacheLimitBytes <= 0) {
      return;
    }
    byte[][] old = cache.get(key);
    if (old != null) {
      cacheBytes -= nodeSize(old);
    } else if (cacheBytes >= cacheLimitBytes) {
      return;
    }
    cache.put(key, node);
    cacheBytes += nodeSize(node);
  }

  private static long nodeSize(byte[][] node) {
    long size = 64 + 16L * node.length;
    for (byte[] c : node) {
      if (c != null) {
        size += 16 + c.length;
      }
    }
    return size;
  }

  /** The stored children of a bucket node; all slots empty when the node does not exist. */
  private byte[][] loadNode(int level, int bucket) {
    long key = nodeKey(level, bucket);
    byte[][] cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    byte[] stored = store.get(store.state, nodeStorageKey(key));
    byte[][] node = stored == null ? new byte[grouping][] : decodeNode(stored, level, bucket);
    if (stored != null) {
      cachePut(key, node);
    }
    return node;
  }

  private byte[][] decodeNode(byte[] stored, long level, long bucket) {
    try {
      Codec.Reader r = new Codec.Reader(stored, "bucket node " + level + "/" + bucket);
      byte[][] node = new byte[grouping][];
      for (int i = 0; i < grouping; i++) {
        byte[] child = r.bytes();
        node[i] = child.length == 0 ? null : child;
      }
      if (!r.atEnd()) {
        throw new IllegalArgumentException("bucket node " + level + "/" + bucket + " has more than "
            + grouping + " children; was the ledger created with another maxGroupingAtEachLevel?");
      }
      return node;
    } catch (IllegalArgumentException e) {
      throw new LedgerException("The ledger in " + store.dir + " is damaged: " + e.getMessage() + " (or it was"
          + " created with other numBuckets/maxGroupingAtEachLevel settings, which must never change)", e);
    }
  }

  private static long nodeKey(int level, int bucket) {
    return ((long) level << 40) | bucket;
  }

  private static byte[] nodeStorageKey(long nodeKey) {
    return new Buf(12).put(0).varint(nodeKey >>> 40).varint(nodeKey & 0xFFFFFFFFFFL).toArray();
  }

  private static byte[] bucketPrefix(int bucket) {
    Buf b = new Buf(10);
    Codec.orderPreserving(b, bucket);
    return b.toArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static int indexOfZero(byte[] composite) {
    for (int i = 0; i < composite.length; i++) {
      if (composite[i] == 0) {
        return i;
      }
    }
    throw new LedgerException("Damaged state: a data node key has no chaincode separator");
  }

  private static boolean sameChaincode(byte[] composite, byte[] first, int ccLength) {
    return composite.length > ccLength && composite[ccLength] == 0
        && Arrays.equals(composite, 0, ccLength, first, 0, ccLength);
  }

  private void checkStatus(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new LedgerException("Ledger read failed in " + store.dir + ": " + Store.describe(e), e);
    }
  }
}
