package org.jpeer.ledger;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/**
 * A range scan over uncommitted state in key order: the transaction's writes shadow the batch's,
 * which shadow committed state; deleted keys are skipped.
 */
final class MergedStateIterator implements StateIterator {
  private final Iterator<Map.Entry<String, StateDelta.Update>> txIt;
  private final Iterator<Map.Entry<String, StateDelta.Update>> batchIt;
  private final StateIterator committed;
  private Map.Entry<String, StateDelta.Update> tx;
  private Map.Entry<String, StateDelta.Update> batch;
  private StateEntry db;
  private StateEntry next;

  MergedStateIterator(NavigableMap<String, StateDelta.Update> txKeys, NavigableMap<String, StateDelta.Update> batchKeys,
      StateIterator committed) {
    this.txIt = txKeys.entrySet().iterator();
    this.batchIt = batchKeys.entrySet().iterator();
    this.committed = committed;
    tx = txIt.hasNext() ? txIt.next() : null;
    batch = batchIt.hasNext() ? batchIt.next() : null;
    db = committed.hasNext() ? committed.next() : null;
  }

  @Override
  public boolean hasNext() {
    while (next == null && (tx != null || batch != null || db != null)) {
      String key = null;
      if (tx != null) {
        key = tx.getKey();
      }
      if (batch != null && (key == null || KeyOrder.INSTANCE.compare(batch.getKey(), key) < 0)) {
        key = batch.getKey();
      }
      if (db != null && (key == null || KeyOrder.INSTANCE.compare(db.key(), key) < 0)) {
        key = db.key();
      }
      byte[] value = null;
      boolean decided = false;
      if (tx != null && tx.getKey().equals(key)) {
        value = tx.getValue().value();
        decided = true;
        tx = txIt.hasNext() ? txIt.next() : null;
      }
      if (batch != null && batch.getKey().equals(key)) {
        if (!decided) {
          value = batch.getValue().value();
          decided = true;
        }
        batch = batchIt.hasNext() ? batchIt.next() : null;
      }
      if (db != null && db.key().equals(key)) {
        if (!decided) {
          value = db.value();
        }
        db = committed.hasNext() ? committed.next() : null;
      }
      if (value != null) {
        next = new StateEntry(key, value);
      }
    }
    return next != null;
  }

  @Override
  public StateEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException("range scan is exhausted");
    }
    StateEntry out = next;
    next = null;
    return out;
  }

  @Override
  public void close() {
    committed.close();
  }
}
