package org.jpeer.ledger;

import java.util.NoSuchElementException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/** The whole committed state at one RocksDB snapshot, for state transfer. */
final class DbStateSnapshot implements StateSnapshot {
  private final RocksLedger ledger;
  private final Snapshot snapshot;
  private final ReadOptions readOptions;
  private final Slice upper;
  private final RocksIterator it;
  private final int prefixLength;
  private final long blockNumber;
  private boolean closed;

  DbStateSnapshot(RocksLedger ledger) {
    this.ledger = ledger;
    StateStore state = ledger.stateStore();
    byte[] prefix = state.orderedPrefix();
    this.prefixLength = prefix.length;
    this.snapshot = ledger.store().db.getSnapshot();
    this.blockNumber = ledger.stateBlockAt(snapshot);
    byte[] upperKey;
    if (prefix.length == 0) {
      upperKey = new byte[] {(byte) 0xFF}; // no UTF-8 chaincode name starts with 0xFF
    } else {
      upperKey = prefix.clone();
      upperKey[upperKey.length - 1]++;
    }
    this.upper = new Slice(upperKey);
    this.readOptions = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
    this.it = ledger.store().db.newIterator(state.orderedCf(), readOptions);
    it.seek(prefix);
    ledger.register(this);
  }

  @Override
  public long blockNumber() {
    return blockNumber;
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
  public Entry next() {
    ledger.lifecycle().readLock().lock();
    try {
      synchronized (this) {
        if (closed || !it.isValid()) {
          ledger.ensureOpen();
          throw new NoSuchElementException("state snapshot is closed or exhausted");
        }
        byte[] k = it.key();
        int zero = prefixLength;
        while (zero < k.length && k[zero] != 0) {
          zero++;
        }
        if (zero == k.length) {
          throw new LedgerException("Damaged state: key without chaincode separator in the state snapshot");
        }
        Entry e = new Entry(Codec.utf8(k, prefixLength, zero - prefixLength), Codec.utf8(k, zero + 1, k.length - zero - 1),
            it.value());
        it.next();
        return e;
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
    ledger.store().db.releaseSnapshot(snapshot);
  }
}
