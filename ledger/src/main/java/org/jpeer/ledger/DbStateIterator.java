package org.jpeer.ledger;

import java.util.NoSuchElementException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A committed range scan of one chaincode in key order. A RocksDB iterator reads an implicit snapshot,
 * so a scan never mixes two block boundaries.
 */
final class DbStateIterator implements StateIterator {
  private final RocksLedger ledger;
  private final int keyOffset;
  private ReadOptions readOptions;
  private Slice upper;
  private RocksIterator it;
  private boolean closed;

  DbStateIterator(RocksLedger ledger, String chaincodeId, String startKey, String endKey) {
    this.ledger = ledger;
    StateStore state = ledger.stateStore();
    byte[] prefix = state.orderedPrefix();
    byte[] base = StateStore.compositeKey(prefix, chaincodeId, "");
    this.keyOffset = base.length;
    if (!endKey.isEmpty() && KeyOrder.INSTANCE.compare(startKey, endKey) > 0) {
      closed = true;
      return;
    }
    byte[] upperKey;
    if (endKey.isEmpty()) {
      upperKey = base.clone();
      upperKey[upperKey.length - 1] = 1; // just past "cc ‖ 0x00 ‖ anything"
    } else {
      byte[] end = StateStore.compositeKey(prefix, chaincodeId, endKey);
      upperKey = java.util.Arrays.copyOf(end, end.length + 1); // end ‖ 0x00: the first key after end
    }
    upper = new Slice(upperKey);
    readOptions = new ReadOptions().setIterateUpperBound(upper);
    it = ledger.store().db.newIterator(state.orderedCf(), readOptions);
    it.seek(StateStore.compositeKey(prefix, chaincodeId, startKey));
    ledger.register(this);
  }

  @Override
  public boolean hasNext() {
    ledger.lifecycle().readLock().lock();
    try {
      synchronized (this) {
        if (closed) {
          ledger.ensureOpen();
          return false;
        }
        return it.isValid();
      }
    } finally {
      ledger.lifecycle().readLock().unlock();
    }
  }

  @Override
  public StateEntry next() {
    ledger.lifecycle().readLock().lock();
    try {
      synchronized (this) {
        if (closed) {
          ledger.ensureOpen();
          throw new NoSuchElementException("range scan is closed or exhausted");
        }
        if (!it.isValid()) {
          throw new NoSuchElementException("range scan is exhausted");
        }
        byte[] k = it.key();
        StateEntry entry = new StateEntry(Codec.utf8(k, keyOffset, k.length - keyOffset), it.value());
        it.next();
        return entry;
      }
    } finally {
      ledger.lifecycle().readLock().unlock();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ledger.unregister(this);
    it.close();
    readOptions.close();
    upper.close();
  }
}
