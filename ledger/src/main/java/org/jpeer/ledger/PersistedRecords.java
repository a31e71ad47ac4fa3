package org.jpeer.ledger;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** {@code persistCF}: small records of other components (discovery list, consensus state). */
final class PersistedRecords {
  private final Store store;
  private final WriteOptions writeOptions;

  PersistedRecords(Store store, WriteOptions writeOptions) {
    this.store = store;
    this.writeOptions = writeOptions;
  }

  void put(String key, byte[] value) {
    RocksLedger.requireText(key, "key");
    RocksLedger.requireNonNull(value, "value");
    try {
      store.db.put(store.persist, writeOptions, Codec.utf8(key), value);
    } catch (RocksDBException e) {
      throw new LedgerException("Persisting " + key + " in " + store.dir + " failed: " + Store.describe(e), e);
    }
  }

  Optional<byte[]> get(String key) {
    RocksLedger.requireText(key, "key");
    return Optional.ofNullable(store.get(store.persist, Codec.utf8(key)));
  }

  Map<String, byte[]> withPrefix(String prefix) {
    RocksLedger.requireNonNull(prefix, "prefix");
    byte[] p = Codec.utf8(prefix);
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (RocksIterator it = store.db.newIterator(store.persist)) {
      for (it.seek(p); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < p.length || !Arrays.equals(k, 0, p.length, p, 0, p.length)) {
          break;
        }
        out.put(Codec.utf8(k, p.length, k.length - p.length), it.value());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  void delete(String key) {
    RocksLedger.requireText(key, "key");
    try {
      store.db.delete(store.persist, writeOptions, Codec.utf8(key));
    } catch (RocksDBException e) {
      throw new LedgerException("Deleting " + key + " in " + store.dir + " failed: " + Store.describe(e), e);
    }
  }

  /** Writes {@code puts} and deletes {@code deletes} in one synced RocksDB write; a key in both is written. */
  void write(Map<String, byte[]> puts, Collection<String> deletes) {
    RocksLedger.requireNonNull(puts, "puts");
    RocksLedger.requireNonNull(deletes, "deletes");
    try (WriteBatch batch = new WriteBatch()) {
      for (String key : deletes) {
        RocksLedger.requireText(key, "key");
        if (!puts.containsKey(key)) {
          batch.delete(store.persist, Codec.utf8(key));
        }
      }
      for (Map.Entry<String, byte[]> e : puts.entrySet()) {
        RocksLedger.requireText(e.getKey(), "key");
        RocksLedger.requireNonNull(e.getValue(), "value");
        batch.put(store.persist, Codec.utf8(e.getKey()), e.getValue());
      }
      store.db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new LedgerException("Persisting " + puts.size() + " records and deleting " + deletes.size()
          + " in " + store.dir + " failed: " + Store.describe(e), e);
    }
  }
}
