package org.jpeer.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpeer.crypto.Hashes;
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
  /** Below this many buckets of a level, a second thread costs more than it saves. */
  private static final int PARALLEL_MINIMUM = 64;

  private final NodeCache cache;
  private final ExecutorService hasher;
  private byte[] committedRoot;
  private Work lastWork = new Work(0, 0);

  BucketTreeState(Store store, int numBuckets, int grouping, int cacheSizeMb) {
    this.store = store;
    this.numBuckets = numBuckets;
    this.grouping = grouping;
    java.util.List<Integer> sizes = new ArrayList<>();
    for (int size = numBuckets; ; size = (size + grouping - 1) / grouping) {
      sizes.add(0, size);
      if (size == 1) {
        break;
      }
    }
    this.lowest = sizes.size() - 1;
    int[] nodeLevelSizes = new int[lowest];
    for (int l = 0; l < lowest; l++) {
      nodeLevelSizes[l] = sizes.get(l);
    }
    this.cache = new NodeCache(nodeLevelSizes, grouping, Math.max(0, cacheSizeMb) * 1024L * 1024L);
    reload();
    this.hasher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ledger-state-hasher");
      t.setDaemon(true);
      return t;
    });
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

  /** One written key of a leaf bucket; {@code value == null} means deleted. */
  private static final class Change {
    final String chaincodeId;
    final String key;
    final byte[] value;
    byte[] committed; // the value in committed state, found while hashing the bucket

    Change(String chaincodeId, String key, byte[] value) {
      this.chaincodeId = chaincodeId;
      this.key = key;
      this.value = value;
    }
  }

  /**
   * One level of the tree as far as a delta touches it: its touched buckets in ascending order,
   * their new hashes (null: the bucket became empty), and the nodes recomputed to get them.
   */
  private record Level(int[] buckets, byte[][] hashes, List<NodeUpdate> nodes) {
    int count() {
      return buckets.length;
    }

    /** This run of buckets followed by {@code next}, a run of higher buckets. */
    Level followedBy(Level next) {
      int[] b = Arrays.copyOf(buckets, buckets.length + next.buckets.length);
      System.arraycopy(next.buckets, 0, b, buckets.length, next.buckets.length);
      byte[][] h = Arrays.copyOf(hashes, hashes.length + next.hashes.length);
      System.arraycopy(next.hashes, 0, h, hashes.length, next.hashes.length);
      List<NodeUpdate> n = new ArrayList<>(nodes);
      n.addAll(next.nodes);
      return new Level(b, h, n);
    }
  }

  /** The leaf buckets a delta writes to, ascending, each with its changes in key order. */
  private record TouchedLeaves(int[] buckets, List<TreeMap<byte[], Change>> changes) {
    int count() {
      return buckets.length;
    }
  }

  /**
   * The state hash the delta would give: hash the touched leaf buckets (their stored entries
   * overlaid by the delta), then each level's touched nodes up to the root. Only touched buckets
   * are recomputed. Each level is split in two halves hashed on two threads (see
   * {@link #inParallel}). The committed values read while hashing the leaves become the delta's
   * previous values, as the {@link StateStore#prepare} contract asks.
   */
  @Override
  public Prepared prepare(StateDelta delta) {
    if (delta.isEmpty()) {
      lastWork = new Work(0, 0);
      return new Prepared(committedRoot, List.of());
    }
    TouchedLeaves leaves = touchedLeaves(delta);
    Level level = hashLeaves(leaves);
    recordPreviousValues(delta, leaves);
    List<NodeUpdate> nodes = new ArrayList<>(leaves.count() * Math.max(1, lowest));
    for (int l = lowest - 1; l >= 0; l--) {
      level = hashParents(l, level);
      nodes.addAll(level.nodes());
    }
    lastWork = new Work(leaves.count(), nodes.size());
    return new Prepared(level.hashes()[0], nodes);
  }

  private TouchedLeaves touchedLeaves(StateDelta delta) {
    TreeMap<Integer, TreeMap<byte[], Change>> byBucket = new TreeMap<>();
    for (String cc : delta.chaincodeIds()) {
      for (Map.Entry<String, StateDelta.Update> e : delta.updates(cc).entrySet()) {
        byte[] composite = StateStore.compositeKey(NO_PREFIX, cc, e.getKey());
        byBucket.computeIfAbsent(leafBucket(composite), b -> new TreeMap<>(Arrays::compareUnsigned))
            .put(composite, new Change(cc, e.getKey(), e.getValue().value()));
      }
    }
    return new TouchedLeaves(byBucket.keySet().stream().mapToInt(Integer::intValue).toArray(),
        new ArrayList<>(byBucket.values()));
  }

  /** The new hash of every touched leaf bucket; fills in each change's committed value. */
  private Level hashLeaves(TouchedLeaves leaves) {
    int count = leaves.count();
    byte[][] hashes = new byte[count][];
    inParallel(count, count / 2, (from, to) -> {
      try (RocksIterator it = store.db.newIterator(store.state)) {
        Buf buf = new Buf(1024);
        for (int i = from; i < to; i++) {
          int bucket = leaves.buckets()[i];
          hashes[i] = leafHash(it, bucket, leaves.changes().get(i), buf, storedEmpty(bucket));
        }
      }
    });
    return new Level(leaves.buckets(), hashes, List.of());
  }

  private static void recordPreviousValues(StateDelta delta, TouchedLeaves leaves) {
    for (TreeMap<byte[], Change> bucketChanges : leaves.changes()) {
      for (Change c : bucketChanges.values()) {
        delta.resolvePrevious(c.chaincodeId, c.key, c.committed);
      }
    }
  }

  /**
   * The touched nodes of {@code level} (the parents of {@code children}). The children are split
   * where the parent changes, so that each node is computed by exactly one thread.
   */
  private Level hashParents(int level, Level children) {
    int count = children.count();
    int split = count / 2;
    while (split > 0 && split < count && parentOf(children.buckets()[split]) == parentOf(children.buckets()[split - 1])) {
      split++;
    }
    Level[] halves = new Level[2];
    inParallel(count, split, (from, to) -> halves[from == 0 ? 0 : 1] = hashNodes(level, children, from, to));
    return halves[1] == null ? halves[0] : halves[0].followedBy(halves[1]);
  }

  /**
   * Whether a leaf bucket holds nothing in committed state, known without a seek: its slot in the
   * parent node is empty. With a million buckets most touched buckets are empty.
   */
  private boolean storedEmpty(int leaf) {
    return lowest > 0 && loadNode(lowest - 1, parentOf(leaf))[(leaf - 1) % grouping] == null;
  }

  private int parentOf(int bucket) {
    return (bucket - 1) / grouping + 1;
  }

  /** The parents of children {@code [from, to)}, which are sorted, so a parent's children are adjacent. */
  private Level hashNodes(int level, Level children, int from, int to) {
    int[] parents = new int[to - from];
    byte[][] hashes = new byte[to - from][];
    List<NodeUpdate> nodes = new ArrayList<>(to - from);
    Buf buf = new Buf(grouping * Hashes.LENGTH);
    int count = 0;
    int i = from;
    while (i < to) {
      int parent = parentOf(children.buckets()[i]);
      byte[][] node = loadNode(level, parent).clone();
      for (; i < to && parentOf(children.buckets()[i]) == parent; i++) {
        node[(children.buckets()[i] - 1) % grouping] = children.hashes()[i];
      }
      byte[] hash = nodeHash(node, buf);
      nodes.add(new NodeUpdate(nodeKey(level, parent), hash == null ? null : node));
      parents[count] = parent;
      hashes[count++] = hash;
    }
    return new Level(Arrays.copyOf(parents, count), Arrays.copyOf(hashes, count), nodes);
  }

  /**
   * A piece of work over [0, count): [split, count) on the hashing thread, [0, split) on this one;
   * all of it on this thread when it is small or the split is at an end.
   */
  private void inParallel(int count, int split, RangeTask task) {
    if (count < PARALLEL_MINIMUM || split <= 0 || split >= count) {
      task.run(0, count);
      return;
    }
    Future<?> other = hasher.submit(() -> task.run(split, count));
    task.run(0, split);
    try {
      other.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("Interrupted while hashing the state", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new LedgerException("Hashing the state failed: " + e.getCause(), e.getCause());
    }
  }

  @FunctionalInterface
  private interface RangeTask {
    void run(int from, int to);
  }

  /**
   * The hash of one leaf bucket: its stored entries overlaid by {@code changes}. Reading the stored
   * entries also yields the committed values that the delta records as previous values.
   */
  private byte[] leafHash(RocksIterator it, int bucket, TreeMap<byte[], Change> changes, Buf buf,
      boolean storedEmpty) {
    byte[] prefix = bucketPrefix(bucket);
    TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
    if (!storedEmpty) {
      it.seek(prefix);
    }
    while (!storedEmpty && it.isValid()) {
      byte[] k = it.key();
      if (!startsWith(k, prefix)) {
        break;
      }
      entries.put(Arrays.copyOfRange(k, prefix.length, k.length), it.value());
      it.next();
    }
    checkStatus(it);
    for (Map.Entry<byte[], Change> c : changes.entrySet()) {
      Change change = c.getValue();
      change.committed = change.value == null ? entries.remove(c.getKey()) : entries.put(c.getKey(), change.value);
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
    for (NodeUpdate node : prepared.nodes()) {
      byte[] key = nodeStorageKey(node.key());
      if (node.children() == null) {
        batch.delete(store.state, key);
      } else {
        buf.reset();
        for (byte[] child : node.children()) {
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
    for (NodeUpdate node : prepared.nodes()) {
      int level = (int) (node.key() >>> 40);
      int bucket = (int) (node.key() & 0xFFFFFFFFFFL);
      if (node.children() == null) {
        cache.remove(level, bucket);
      } else {
        cache.put(level, bucket, node.children());
      }
    }
    committedRoot = prepared.hash();
  }

  @Override
  public void close() {
    hasher.shutdownNow();
  }

  @Override
  public void reload() {
    cache.clear();
    if (!cache.full()) {
      try (RocksIterator it = store.db.newIterator(store.state)) {
        it.seek(new byte[] {0});
        for (; it.isValid() && it.key()[0] == 0 && !cache.full(); it.next()) {
          byte[] k = it.key();
          Codec.Reader r = new Codec.Reader(Arrays.copyOfRange(k, 1, k.length), "bucket node key");
          long level = r.varint();
          long bucket = r.varint();
          if (level >= lowest || bucket < 1 || bucket > numBuckets) {
            throw new LedgerException("The ledger in " + store.dir + " is damaged: bucket node " + level + "/"
                + bucket + " lies outside the tree (or it was created with other numBuckets/maxGroupingAtEachLevel"
                + " settings, which must never change)");
          }
          cache.put((int) level, (int) bucket, decodeNode(it.value(), level, bucket));
        }
        checkStatus(it);
        cache.loaded(!it.isValid() || it.key()[0] != 0);
      }
    }
    if (lowest == 0) {
      try (RocksIterator it = store.db.newIterator(store.state)) {
        committedRoot = leafHash(it, 1, new TreeMap<>(Arrays::compareUnsigned), new Buf(256), false);
      }
    } else {
      committedRoot = nodeHash(loadNode(0, 1), new Buf(grouping * 64));
    }
  }

  /** The stored children of a bucket node; all slots empty when the node does not exist. */
  private byte[][] loadNode(int level, int bucket) {
    byte[][] cached = cache.get(level, bucket);
    if (cached != null) {
      return cached;
    }
    if (cache.complete()) {
      // Most nodes near the leaves of a large tree are empty; a RocksDB miss costs a seek per level.
      return new byte[grouping][];
    }
    byte[] stored = store.get(store.state, nodeStorageKey(nodeKey(level, bucket)));
    // Not cached here: prepare reads the cache from two threads; committed() adds recomputed nodes.
    return stored == null ? new byte[grouping][] : decodeNode(stored, level, bucket);
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
