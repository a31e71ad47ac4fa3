package org.jpeer.ledger;

import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A state implementation (Fabric's {@code ledger.state.dataStructure}): where state lives in RocksDB
 * and how the state hash is computed. Every implementation also keeps a key-ordered copy of state
 * (composite keys under {@link #orderedPrefix()} in {@link #orderedCf()}) that serves reads and scans.
 * Only the executor thread calls {@link #prepare}, {@link #write} and {@link #committed}.
 */
sealed interface StateStore permits BucketTreeState, RawState {

  /** The outcome of hashing a delta: the new state hash and, for trees, the recomputed nodes. */
  record Prepared(byte[] hash, List<NodeUpdate> nodes) {}

  /** A recomputed bucket node: its children's hashes, or {@code null} when it became empty. */
  record NodeUpdate(long key, byte[][] children) {}

  ColumnFamilyHandle orderedCf();

  byte[] orderedPrefix();

  /** The hash of committed state; {@code null} when empty or for {@code raw}. */
  byte[] committedHash();

  /**
   * Computes the state hash the delta would give, and fills in the delta's unresolved previous values
   * from committed state.
   */
  Prepared prepare(StateDelta delta);

  void write(WriteBatch batch, StateDelta delta, Prepared prepared) throws RocksDBException;

  /** Called after the write batch holding {@link #write}'s changes is durable. */
  void committed(Prepared prepared);

  /** Re-reads everything cached from the database (after the state was wiped). */
  void reload();

  /** Stops helper threads; the ledger closes the database afterwards. */
  void close();

  /** The composite key {@code chaincodeId ‖ 0x00 ‖ key}, written after {@code prefix}. */
  static byte[] compositeKey(byte[] prefix, String chaincodeId, String key) {
    byte[] cc = Codec.utf8(chaincodeId);
    byte[] k = Codec.utf8(key);
    byte[] out = new byte[prefix.length + cc.length + 1 + k.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(cc, 0, out, prefix.length, cc.length);
    System.arraycopy(k, 0, out, prefix.length + cc.length + 1, k.length);
    return out;
  }
}
