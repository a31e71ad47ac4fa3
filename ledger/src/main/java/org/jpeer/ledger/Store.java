package org.jpeer.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jpeer.crypto.Hashes;
import org.jpeer.protos.Block;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The RocksDB database and its column families, named as in Fabric v0.6. */
final class Store implements AutoCloseable {
  static final String BLOCKCHAIN_CF = "blockchainCF";
  static final String STATE_CF = "stateCF";
  static final String STATE_DELTA_CF = "stateDeltaCF";
  static final String INDEXES_CF = "indexesCF";
  static final String PERSIST_CF = "persistCF";
  private static final List<String> NAMES = List.of("default", BLOCKCHAIN_CF, STATE_CF, STATE_DELTA_CF,
      INDEXES_CF, PERSIST_CF);

  private static final long MEMTABLE_BYTES = 8L << 20;

  static {
    RocksDB.loadLibrary();
  }

  final Path dir;
  final RocksDB db;
  final ColumnFamilyHandle blockchain;
  final ColumnFamilyHandle state;
  final ColumnFamilyHandle stateDelta;
  final ColumnFamilyHandle indexes;
  final ColumnFamilyHandle persist;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final boolean readOnly;

  private Store(Path dir, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles, List<String> names, boolean readOnly) {
    this.dir = dir;
    this.readOnly = readOnly;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.blockchain = handles.get(names.indexOf(BLOCKCHAIN_CF));
    this.state = handles.get(names.indexOf(STATE_CF));
    this.stateDelta = handles.get(names.indexOf(STATE_DELTA_CF));
    this.indexes = handles.get(names.indexOf(INDEXES_CF));
    this.persist = handles.get(names.indexOf(PERSIST_CF));
  }

  static Store open(Path dir) {
    return open(dir, false);
  }

  /**
   * Opens the database; read-only leaves every file as it is (RocksDB's read-write open rewrites
   * the MANIFEST and deletes table files it no longer references).
   */
  static Store open(Path dir, boolean readOnly) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new LedgerException("Cannot create the ledger directory " + dir + ": " + e.getMessage(), e);
    }
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true)
        .setMaxLogFileSize(10_485_760)
        .setKeepLogFileNum(10)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    // Hashes and the tar.gz code packages in deploy transactions do not compress; spare the two cores.
    // A block writes ~6,500 entries; inserting them into an 8 MB memtable skiplist (~50k entries)
    // costs about 30% less CPU on the committing thread than into RocksDB's default 64 MB one
    // (cache misses per level); the extra flushes run on RocksDB's background thread.
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
        .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
        .setWriteBufferSize(MEMTABLE_BYTES);
    List<String> names = new ArrayList<>(NAMES);
    try {
      // RocksDB must open every column family that exists, including ones it does not know.
      if (Files.exists(dir.resolve("CURRENT"))) {
        try (Options probe = new Options()) {
          for (byte[] existing : RocksDB.listColumnFamilies(probe, dir.toString())) {
            String name = new String(existing, StandardCharsets.UTF_8);
            if (!names.contains(name)) {
              names.add(name);
            }
          }
        }
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = readOnly
          ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
          : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new Store(dir, db, dbOptions, cfOptions, handles, names, readOnly);
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
      throw new LedgerException("Cannot open the ledger database in " + dir + ": " + describe(e)
          + ". The files are damaged or are not a ledger; restore the directory from a backup, or move it"
          + " away and let the peer resynchronise from the network.", e);
    }
  }

  static String describe(RocksDBException e) {
    if (e.getStatus() != null) {
      return e.getStatus().getCodeString() + ": " + e.getMessage();
    }
    return e.getMessage();
  }

  void verifyChecksums() {
    try {
      db.verifyChecksum();
    } catch (RocksDBException e) {
      throw new LedgerException("The ledger database in " + dir + " failed its checksum verification: "
          + describe(e) + ". Restore the directory from a backup, or move it away and let the peer"
          + " resynchronise from the network.", e);
    }
  }

  byte[] get(ColumnFamilyHandle cf, byte[] key) {
    try {
      return db.get(cf, key);
    } catch (RocksDBException e) {
      throw new LedgerException("Ledger read failed in " + dir + ": " + describe(e), e);
    }
  }

  /** Block {@code number} as stored, or empty; a record that does not parse is reported as damage. */
  Optional<Block> readBlock(long number) {
    byte[] bytes = get(blockchain, Codec.u64be(number));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Block.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new LedgerException("Block " + number + " in " + dir + " is damaged: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (!readOnly) {
      flush();
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    dbOptions.close();
    cfOptions.close();
  }

  private void flush() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      // A flushed database reopens without replaying the write-ahead log.
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      // Nothing is lost: the synced write-ahead log still holds every commit.
      org.slf4j.LoggerFactory.getLogger(Store.class).warn("Flush at close of {} failed: {}", dir, describe(e));
    }
  }
}
