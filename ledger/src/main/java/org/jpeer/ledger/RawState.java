package org.jpeer.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** Fabric's experimental {@code raw} state: {@code stateCF[compositeKey] = value}, no state hash. */
final class RawState implements StateStore {
  private static final byte[] NO_PREFIX = new byte[0];
  private static final Prepared NOTHING = new Prepared(null, List.of());
  private final Store store;

  RawState(Store store) {
    this.store = store;
  }

  @Override
  public ColumnFamilyHandle orderedCf() {
    return store.state;
  }

  @Override
  public byte[] orderedPrefix() {
    return NO_PREFIX;
  }

  @Override
  public byte[] committedHash() {
    return null;
  }

  @Override
  public Prepared prepare(StateDelta delta) {
    List<String[]> names = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (String cc : delta.chaincodeIds()) {
      for (Map.Entry<String, StateDelta.Update> e : delta.updates(cc).entrySet()) {
        if (e.getValue().previousValue() == StateDelta.UNRESOLVED) {
          names.add(new String[] {cc, e.getKey()});
          keys.add(StateStore.compositeKey(NO_PREFIX, cc, e.getKey()));
        }
      }
    }
    if (!keys.isEmpty()) {
      List<byte[]> values;
      try {
        values = store.db.multiGetAsList(Collections.nCopies(keys.size(), store.state), keys);
      } catch (RocksDBException e) {
        throw new LedgerException("Ledger read failed in " + store.dir + ": " + Store.describe(e), e);
      }
      for (int i = 0; i < keys.size(); i++) {
        delta.resolvePrevious(names.get(i)[0], names.get(i)[1], values.get(i));
      }
    }
    return NOTHING;
  }

  @Override
  public void write(WriteBatch batch, StateDelta delta, Prepared prepared) throws RocksDBException {
    for (String cc : delta.chaincodeIds()) {
      for (Map.Entry<String, StateDelta.Update> e : delta.updates(cc).entrySet()) {
        byte[] key = StateStore.compositeKey(NO_PREFIX, cc, e.getKey());
        if (e.getValue().isDeleted()) {
          batch.delete(store.state, key);
        } else {
          batch.put(store.state, key, e.getValue().value());
        }
      }
    }
  }

  @Override
  public void committed(Prepared prepared) {
    // no hash, nothing cached
  }

  @Override
  public void close() {
    // no helper threads
  }

  @Override
  public void reload() {
    // nothing cached
  }
}
