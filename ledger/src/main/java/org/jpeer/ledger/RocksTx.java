package org.jpeer.ledger;

import java.util.Collections;
import java.util.NavigableMap;

/** One transaction inside a batch: its own delta over the batch delta over committed state. */
final class RocksTx implements TxState {
  private final RocksBatch batch;
  private final String txid;
  private final StateDelta delta = new StateDelta();
  private boolean ended;

  RocksTx(RocksBatch batch, String txid) {
    this.batch = batch;
    this.txid = txid;
  }

  StateDelta delta() {
    return delta;
  }

  @Override
  public String txid() {
    return txid;
  }

  @Override
  public byte[] get(String chaincodeId, String key) {
    checkActive();
    RocksLedger.checkChaincodeId(chaincodeId);
    RocksLedger.requireNonNull(key, "key");
    StateDelta.Update u = delta.get(chaincodeId, key);
    if (u == null) {
      u = batch.delta().get(chaincodeId, key);
    }
    if (u != null) {
      return u.value();
    }
    return batch.ledger().getCommitted(chaincodeId, key);
  }

  @Override
  public StateIterator range(String chaincodeId, String startKey, String endKey) {
    checkActive();
    RocksLedger.checkChaincodeId(chaincodeId);
    RocksLedger.requireNonNull(startKey, "startKey");
    RocksLedger.requireNonNull(endKey, "endKey");
    return new MergedStateIterator(
        slice(delta.updates(chaincodeId), startKey, endKey),
        slice(batch.delta().updates(chaincodeId), startKey, endKey),
        batch.ledger().committedRange(chaincodeId, startKey, endKey));
  }

  private static NavigableMap<String, StateDelta.Update> slice(NavigableMap<String, StateDelta.Update> keys,
      String start, String end) {
    if (end.isEmpty()) {
      return keys.tailMap(start, true);
    }
    if (KeyOrder.INSTANCE.compare(start, end) > 0) {
      return Collections.emptyNavigableMap();
    }
    return keys.subMap(start, true, end, true);
  }

  @Override
  public void put(String chaincodeId, String key, byte[] value) {
    checkActive();
    RocksLedger.checkChaincodeId(chaincodeId);
    if (key == null || key.isEmpty() || value == null) {
      throw new IllegalArgumentException("An empty string key or a nil value is not supported (chaincode "
          + chaincodeId + ", key '" + key + "')");
    }
    delta.set(chaincodeId, key, value.clone(), StateDelta.UNRESOLVED);
  }

  @Override
  public void delete(String chaincodeId, String key) {
    checkActive();
    RocksLedger.checkChaincodeId(chaincodeId);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("An empty string key is not supported (chaincode " + chaincodeId + ")");
    }
    // As in the original, the previous value will come from committed state, not from earlier transactions.
    delta.delete(chaincodeId, key, StateDelta.UNRESOLVED);
  }

  @Override
  public void commit() {
    checkActive();
    ended = true;
    batch.txEnded(this, true);
  }

  @Override
  public void discard() {
    checkActive();
    ended = true;
    batch.txEnded(this, false);
  }

  private void checkActive() {
    if (ended) {
      throw new IllegalStateException("Transaction " + txid + " has already ended");
    }
    batch.checkActive();
  }
}
