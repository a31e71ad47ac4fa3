package org.jpeer.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.NonHashData;
import org.jpeer.protos.Transaction;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on RocksDB. Writes come from one thread at a time (the open batch); reads from any
 * thread see the last committed block boundary, because uncommitted writes live only in memory and
 * a block's writes reach RocksDB in one atomic write batch.
 */
final class RocksLedger implements PeerLedger {
  private static final Logger LOG = LoggerFactory.getLogger(RocksLedger.class);

  static final byte[] BLOCK_COUNT_KEY = "blockCount".getBytes(StandardCharsets.US_ASCII);
  static final byte INDEX_BLOCK_HASH = 0x01;
  static final byte INDEX_TXID = 0x02;
  static final byte INDEX_ADDRESS = 0x03;
  static final byte INDEX_FAILURE = 0x10;
  /**
   * jpeer: the failed transactions of a block this peer executed, under 0x14 + u64be(number): a
   * varint count, then per transaction its bytes and its reason, each length-prefixed. No record: the
   * block was not executed here (state transfer) or predates these records.
   */
  static final byte INDEX_EXECUTED_BLOCK = 0x14;
  /** jpeer: the block whose state hash the committed state has (u64be). */
  static final byte[] STATE_BLOCK_KEY = {0x12};
  /** jpeer: the state data structure the ledger was created with, e.g. "buckettree 1000003 5" (ASCII). */
  static final byte[] STATE_STRUCTURE_KEY = {0x13};
  /** The state-block marker while a snapshot is being loaded. */
  static final long INCOMPLETE_STATE = -1;
  private static final byte[] ADDRESS = "address1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];

  private final LedgerOptions options;
  private final Store store;
  private final StateStore state;
  private final WriteOptions writeOptions;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Set<AutoCloseable> openIterators = ConcurrentHashMap.newKeySet();
  private final CommittedReader committedReader = new CommittedReader();
  private final PersistedRecords records;
  private volatile boolean closed;
  private volatile ChainHead head;
  private RocksBatch openBatch; // guarded by this
  private final List<LedgerListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RocksLedger(LedgerOptions options, Store store, StateStore state) {
    this.options = options;
    this.store = store;
    this.state = state;
    this.writeOptions = new WriteOptions().setSync(options.syncWrites());
    this.records = new PersistedRecords(store, writeOptions);
  }

  static RocksLedger open(java.nio.file.Path dir, LedgerOptions options) {
    if (java.nio.file.Files.exists(dir.resolve("CURRENT"))) {
      // Check an existing ledger read-only first, so that a refused ledger is left exactly as it was.
      try (Store readOnly = Store.open(dir, true)) {
        if (options.verifyChecksumsOnOpen()) {
          readOnly.verifyChecksums();
        }
        check(readOnly, options, 0).state().close();
      }
    }
    Store store = Store.open(dir, false);
    StateStore state = null;
    WriteOptions writeOptions = null;
    try {
      Checked checked = check(store, options, options.bucketCacheSizeMb());
      state = checked.state();
      if (store.get(store.indexes, STATE_STRUCTURE_KEY) == null) {
        try {
          store.db.put(store.indexes, STATE_STRUCTURE_KEY, structure(options));
        } catch (RocksDBException e) {
          throw new LedgerException("Cannot write to the ledger in " + dir + ": " + Store.describe(e), e);
        }
      }
      RocksLedger ledger = new RocksLedger(options, store, state);
      writeOptions = ledger.writeOptions;
      ledger.head = checked.head();
      if (ledger.head.height() == 0) {
        try (LedgerBatch genesis = ledger.beginBatch()) {
          genesis.commit(List.of(), EMPTY, List.of(), List.of());
        }
        HeightMark.write(dir, 1);
        LOG.info("Ledger created in {} with the genesis block", dir);
      } else {
        LOG.info("Ledger opened in {} at height {}", dir, ledger.head.height());
      }
      return ledger;
    } catch (RuntimeException e) {
      if (writeOptions != null) {
        writeOptions.close();
      }
      if (state != null) {
        state.close();
      }
      store.close();
      throw e;
    }
  }

  private record Checked(StateStore state, ChainHead head) {}

  private static byte[] structure(LedgerOptions options) {
    String text = switch (options.dataStructure()) {
      case BUCKETTREE -> "buckettree " + options.numBuckets() + " " + options.maxGroupingAtEachLevel();
      case RAW -> "raw";
    };
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Runs the consistency checks; returns the state implementation (open) and the head when they pass. */
  private static Checked check(Store store, LedgerOptions options, int cacheSizeMb) {
    byte[] created = store.get(store.indexes, STATE_STRUCTURE_KEY);
    if (created != null && !Arrays.equals(created, structure(options))) {
      throw new LedgerException("The ledger in " + store.dir + " was created with state '"
          + new String(created, StandardCharsets.US_ASCII) + "' but is opened with '"
          + new String(structure(options), StandardCharsets.US_ASCII) + "' (ledger.state.dataStructure name and"
          + " numBuckets/maxGroupingAtEachLevel must never change; every peer of a network must use the same)");
    }
    StateStore state = switch (options.dataStructure()) {
      case BUCKETTREE -> new BucketTreeState(store, options.numBuckets(), options.maxGroupingAtEachLevel(),
          cacheSizeMb);
      case RAW -> new RawState(store);
    };
    try {
      ChainHead head = OpenCheck.run(store, state, options);
      long cleanHeight = HeightMark.read(store.dir);
      if (head.height() < cleanHeight) {
        throw OpenCheck.damaged(store.dir, "it holds " + head.height() + " blocks but had " + cleanHeight
            + " at its last clean shutdown (a MANIFEST or table file was lost or cut short)");
      }
      return new Checked(state, head);
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- reads

  private <T> T read(Supplier<T> body) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return body.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new LedgerException("The ledger in " + store.dir + " is closed");
    }
  }

  ReentrantReadWriteLock lifecycle() {
    return lifecycle;
  }

  Store store() {
    return store;
  }

  StateStore stateStore() {
    return state;
  }

  void register(AutoCloseable resource) {
    openIterators.add(resource);
  }

  void unregister(AutoCloseable resource) {
    openIterators.remove(resource);
  }

  @Override
  public BlockchainInfo blockchainInfo() {
    return head.info();
  }

  @Override
  public long height() {
    return head.height();
  }

  @Override
  public Optional<Block> block(long number) {
    if (number < 0 || number >= head.height()) {
      return Optional.empty();
    }
    return read(() -> store.readBlock(number));
  }

  @Override
  public Optional<Transaction> transaction(String txid) {
    return transactionLocation(txid).flatMap(loc -> read(() -> {
      byte[] bytes = store.get(store.blockchain, Codec.u64be(loc.blockNumber()));
      if (bytes == null) {
        return Optional.empty();
      }
      try {
        return Blocks.transactionAt(bytes, loc.index());
      } catch (java.io.IOException e) {
        throw new LedgerException("Block " + loc.blockNumber() + " in " + store.dir + " is damaged: "
            + e.getMessage(), e);
      }
    }));
  }

  @Override
  public Optional<TxLocation> transactionLocation(String txid) {
    requireText(txid, "txid");
    byte[] value = read(() -> store.get(store.indexes, indexKey(INDEX_TXID, txid)));
    if (value == null) {
      return Optional.empty();
    }
    Codec.Reader r = new Codec.Reader(value, "transaction index of " + txid);
    return Optional.of(new TxLocation(r.varint(), (int) r.varint()));
  }

  @Override
  public Optional<TxFailure> failure(String txid) {
    requireText(txid, "txid");
    byte[] value = read(() -> store.get(store.indexes, indexKey(INDEX_FAILURE, txid)));
    if (value == null) {
      return Optional.empty();
    }
    Codec.Reader r = new Codec.Reader(value, "failure record of " + txid);
    long block = r.varint();
    return Optional.of(new TxFailure(txid, block, r.string()));
  }

  @Override
  public Optional<List<FailedTx>> failedIn(long number) {
    if (number < 0) {
      return Optional.empty();
    }
    byte[] value = read(() -> store.get(store.indexes, executedBlockKey(number)));
    if (value == null) {
      return Optional.empty();
    }
    String what = "failed transactions of block " + number;
    try {
      Codec.Reader r = new Codec.Reader(value, what);
      long count = r.varint();
      List<FailedTx> out = new ArrayList<>((int) Math.min(count, 1024));
      for (long i = 0; i < count; i++) {
        Transaction tx = Transaction.parseFrom(r.bytes());
        out.add(new FailedTx(tx, r.string()));
      }
      return Optional.of(out);
    } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new LedgerException("The record of the " + what + " in " + store.dir + " is damaged: " + e.getMessage(), e);
    }
  }

  private static byte[] executedBlockKey(long number) {
    return new Buf(9).put(INDEX_EXECUTED_BLOCK).u64be(number).toArray();
  }

  @Override
  public void addListener(LedgerListener listener) {
    requireNonNull(listener, "listener");
    listeners.add(listener);
  }

  @Override
  public StateReader committedState() {
    return committedReader;
  }

  /** Reads committed state straight from RocksDB, which holds nothing uncommitted. */
  private final class CommittedReader implements StateReader {
    @Override
    public byte[] get(String chaincodeId, String key) {
      return getCommitted(chaincodeId, key);
    }

    @Override
    public StateIterator range(String chaincodeId, String startKey, String endKey) {
      return committedRange(chaincodeId, startKey, endKey);
    }
  }

  byte[] getCommitted(String chaincodeId, String key) {
    checkChaincodeId(chaincodeId);
    requireNonNull(key, "key");
    return read(() -> store.get(state.orderedCf(), StateStore.compositeKey(state.orderedPrefix(), chaincodeId, key)));
  }

  StateIterator committedRange(String chaincodeId, String startKey, String endKey) {
    checkChaincodeId(chaincodeId);
    requireNonNull(startKey, "startKey");
    requireNonNull(endKey, "endKey");
    return read(() -> new DbStateIterator(this, chaincodeId, startKey, endKey));
  }

  // ---------------------------------------------------------------- writes

  @Override
  public synchronized LedgerBatch beginBatch() {
    ensureOpen();
    if (openBatch != null) {
      throw new IllegalStateException("Another batch is already in progress; commit or roll it back first");
    }
    openBatch = new RocksBatch(this);
    return openBatch;
  }

  synchronized void batchEnded(RocksBatch batch) {
    if (openBatch == batch) {
      openBatch = null;
    }
  }

  private synchronized void requireNoBatch(String operation) {
    ensureOpen();
    if (openBatch != null) {
      throw new IllegalStateException(operation + " needs the ledger without an open batch; roll the batch back first");
    }
  }

  StateStore.Prepared prepare(StateDelta delta) {
    return read(() -> state.prepare(delta));
  }

  /** LedgerBatch.commit: one atomic, synced write of everything the block changes. */
  Block commit(StateDelta delta, StateStore.Prepared prepared, List<Transaction> transactions,
      byte[] consensusMetadata, List<ChaincodeEvent> events, List<FailedTx> failures) {
    List<FailedTx> failed = failures == null ? List.of() : List.copyOf(failures);
    Written written = writeBlock(delta, prepared, transactions, consensusMetadata, events, failed);
    for (LedgerListener listener : listeners) {
      try {
        listener.committed(written.number(), written.block(), failed);
      } catch (RuntimeException e) {
        LOG.warn("A ledger listener failed on block {}: {}", written.number(), e.toString());
      }
    }
    return written.block();
  }

  private record Written(long number, Block block) {}

  private Written writeBlock(StateDelta delta, StateStore.Prepared prepared, List<Transaction> transactions,
      byte[] consensusMetadata, List<ChaincodeEvent> events, List<FailedTx> failures) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      ChainHead current = head;
      long number = current.height();
      Blocks.Hashed next = nextBlock(current, prepared, transactions, consensusMetadata);
      Instant now = Instant.now();
      NonHashData nonHashData = NonHashData.newBuilder()
          .setLocalLedgerCommitTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
          .addAllChaincodeEvents(events == null ? List.of() : events)
          .build();
      Block storedBlock = next.block().toBuilder().setNonHashData(nonHashData).build();

      try (WriteBatch batch = new WriteBatch()) {
        batch.put(store.blockchain, Codec.u64be(number), storedBlock.toByteArray());
        batch.put(store.blockchain, BLOCK_COUNT_KEY, Codec.u64be(number + 1));
        indexBlock(batch, next.block(), next.hash(), number);
        Buf executed = new Buf(16).varint(failures.size());
        for (FailedTx failure : failures) {
          byte[] reason = Codec.utf8(failure.reason());
          batch.put(store.indexes, indexKey(INDEX_FAILURE, failure.transaction().getTxid()),
              new Buf(reason.length + 12).varint(number).lengthPrefixed(reason).toArray());
          executed.lengthPrefixed(failure.transaction().toByteArray()).lengthPrefixed(reason);
        }
        batch.put(store.indexes, executedBlockKey(number), executed.toArray());
        state.write(batch, delta, prepared);
        batch.put(store.stateDelta, Codec.u64be(number), delta.encode());
        if (number >= options.deltaHistorySize()) {
          batch.delete(store.stateDelta, Codec.u64be(number - options.deltaHistorySize()));
        }
        batch.put(store.indexes, STATE_BLOCK_KEY, Codec.u64be(number));
        store.db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw new LedgerException("Commit of block " + number + " to " + store.dir + " failed: "
            + Store.describe(e) + "; nothing was written", e);
      }
      state.committed(prepared);
      head = ChainHead.of(number + 1, next.hash(), next.block().getPreviousBlockHash().toByteArray(), number);
      LOG.debug("Committed block {} with {} transactions and {} state changes", number,
          transactions.size(), delta.size());
      return new Written(number, storedBlock);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The block that follows {@code current}, by the one block rule (Blocks.next). */
  private static Blocks.Hashed nextBlock(ChainHead current, StateStore.Prepared prepared,
      List<Transaction> transactions, byte[] consensusMetadata) {
    return Blocks.next(current.height() > 0 ? current.currentHash() : null, prepared.hash(), transactions,
        consensusMetadata);
  }

  /** LedgerBatch.previewBlockchainInfo: the info the chain would have after committing this block. */
  BlockchainInfo preview(StateStore.Prepared prepared, List<Transaction> transactions, byte[] consensusMetadata) {
    return read(() -> {
      ChainHead current = head;
      Blocks.Hashed next = nextBlock(current, prepared, transactions, consensusMetadata);
      return ChainHead.of(current.height() + 1, next.hash(), next.block().getPreviousBlockHash().toByteArray(),
          current.stateBlock()).info();
    });
  }

  private void indexBlock(WriteBatch batch, Block block, byte[] blockHash, long number) throws RocksDBException {
    batch.put(store.indexes, new Buf(65).put(INDEX_BLOCK_HASH).put(blockHash).toArray(), Codec.varint(number));
    int count = block.getTransactionsCount();
    Buf positions = new Buf(count * 2 + 1);
    Buf value = new Buf(16);
    for (int i = 0; i < count; i++) {
      String txid = block.getTransactions(i).getTxid();
      batch.put(store.indexes, indexKey(INDEX_TXID, txid), value.reset().varint(number).varint(i).toArray());
      positions.varint(i);
    }
    byte[] addressKey = new Buf(20).put(INDEX_ADDRESS).varint(ADDRESS.length).put(ADDRESS).varint(number).toArray();
    batch.put(store.indexes, addressKey, positions.toArray());
  }

  private static byte[] indexKey(byte kind, String id) {
    byte[] text = Codec.utf8(id);
    byte[] key = new byte[text.length + 1];
    key[0] = kind;
    System.arraycopy(text, 0, key, 1, text.length);
    return key;
  }

  // ---------------------------------------------------------------- state transfer and operators

  @Override
  public byte[] committedStateHash() {
    return read(() -> nullToEmpty(state.committedHash()).clone());
  }

  @Override
  public long stateBlockNumber() {
    return head.stateBlock();
  }

  @Override
  public List<Block> blocks(long from, long to) {
    return read(() -> {
      List<Block> out = new ArrayList<>();
      long step = from <= to ? 1 : -1;
      for (long n = from; n >= 0; n += step) {
        Optional<Block> b = store.readBlock(n);
        if (b.isEmpty()) {
          break;
        }
        out.add(b.get());
        if (n == to) {
          break;
        }
      }
      return out;
    });
  }

  @Override
  public Optional<StateDelta> stateDelta(long blockNumber) {
    if (blockNumber < 0 || blockNumber >= head.height()) {
      throw new IllegalArgumentException("No block " + blockNumber + ": the height is " + head.height());
    }
    byte[] bytes = read(() -> store.get(store.stateDelta, Codec.u64be(blockNumber)));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(StateDelta.decode(bytes));
    } catch (IllegalArgumentException e) {
      throw new LedgerException("The state delta of block " + blockNumber + " in " + store.dir + " is damaged: "
          + e.getMessage(), e);
    }
  }

  @Override
  public StateSnapshot stateSnapshot() {
    return read(() -> new DbStateSnapshot(this));
  }

  long stateBlockAt(Snapshot snapshot) {
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
      byte[] v = store.db.get(store.indexes, ro, STATE_BLOCK_KEY);
      return v == null ? head.height() - 1 : Codec.readU64be(v);
    } catch (RocksDBException e) {
      throw new LedgerException("Ledger read failed in " + store.dir + ": " + Store.describe(e), e);
    }
  }

  @Override
  public void putRawBlock(Block block, long number) {
    if (number < 0) {
      throw new IllegalArgumentException("Block number must not be negative, got " + number);
    }
    synchronized (this) {
      if (number + 1 >= head.height()) {
        // a block below the top does not touch what a batch commits on (head, height, state)
        requireNoBatch("putRawBlock of the top block or above");
      }
      read(() -> {
        byte[] blockHash = Blocks.hash(block);
        ChainHead current = head;
        try (WriteBatch batch = new WriteBatch()) {
          batch.put(store.blockchain, Codec.u64be(number), block.toByteArray());
          indexBlock(batch, block, blockHash, number);
          batch.delete(store.indexes, executedBlockKey(number)); // a replaced block was not executed here
          boolean raises = number + 1 > current.height();
          if (raises) {
            batch.put(store.blockchain, BLOCK_COUNT_KEY, Codec.u64be(number + 1));
          }
          store.db.write(writeOptions, batch);
          // a replaced top block (state transfer repairing a fork) is the new head as well
          if (raises || number + 1 == current.height()) {
            head = ChainHead.of(number + 1, blockHash, block.getPreviousBlockHash().toByteArray(), current.stateBlock());
          }
        } catch (RocksDBException e) {
          throw new LedgerException("Storing block " + number + " in " + store.dir + " failed: " + Store.describe(e), e);
        }
        return null;
      });
    }
    for (LedgerListener listener : listeners) {
      try {
        listener.stored(number, block);
      } catch (RuntimeException e) {
        LOG.warn("A ledger listener failed on received block {}: {}", number, e.toString());
      }
    }
  }

  @Override
  public void applyStateDelta(long blockNumber, StateDelta delta) {
    synchronized (this) {
      requireNoBatch("applyStateDelta");
      read(() -> {
        byte[] expected = store.readBlock(blockNumber)
            .orElseThrow(() -> new LedgerException("Cannot verify a state delta against block " + blockNumber
                + ": the block is not stored"))
            .getStateHash().toByteArray();
        StateStore.Prepared prepared = state.prepare(delta);
        byte[] actual = nullToEmpty(prepared.hash());
        if (!Arrays.equals(expected, actual)) {
          throw new LedgerException("The state delta does not produce block " + blockNumber + "'s state hash (got "
              + Base64Text.of(actual) + ", expected " + Base64Text.of(expected) + "); nothing was applied");
        }
        writeState(delta, prepared, blockNumber);
        return null;
      });
    }
  }

  @Override
  public void applySnapshotPiece(StateDelta piece) {
    synchronized (this) {
      requireNoBatch("applySnapshotPiece");
      if (head.stateBlock() != INCOMPLETE_STATE) {
        throw new IllegalStateException("applySnapshotPiece needs an emptied state: call deleteAllState first");
      }
      read(() -> {
        writeState(piece, state.prepare(piece), INCOMPLETE_STATE);
        return null;
      });
    }
  }

  @Override
  public void finishSnapshot(long blockNumber) {
    synchronized (this) {
      requireNoBatch("finishSnapshot");
      read(() -> {
        byte[] expected = store.readBlock(blockNumber)
            .orElseThrow(() -> new LedgerException("Cannot verify the state against block " + blockNumber
                + ": the block is not stored"))
            .getStateHash().toByteArray();
        byte[] actual = nullToEmpty(state.committedHash());
        if (!Arrays.equals(expected, actual)) {
          throw new LedgerException("The state loaded from the snapshot hashes to " + Base64Text.of(actual)
              + ", not to block " + blockNumber + "'s state hash " + Base64Text.of(expected)
              + "; it stays incomplete");
        }
        writeState(new StateDelta(), state.prepare(new StateDelta()), blockNumber);
        return null;
      });
    }
  }

  private void writeState(StateDelta delta, StateStore.Prepared prepared, long blockNumber) {
    try (WriteBatch batch = new WriteBatch()) {
      state.write(batch, delta, prepared);
      batch.put(store.indexes, STATE_BLOCK_KEY, Codec.u64be(blockNumber));
      store.db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new LedgerException("Writing state for block " + blockNumber + " in " + store.dir + " failed: "
          + Store.describe(e) + "; nothing was written", e);
    }
    state.committed(prepared);
    ChainHead current = head;
    head = ChainHead.of(current.height(), current.currentHash(), current.previousHash(), blockNumber);
  }

  @Override
  public boolean stateMatchesBlock(long blockNumber) {
    return read(() -> store.readBlock(blockNumber)
        .map(b -> Arrays.equals(b.getStateHash().toByteArray(), nullToEmpty(state.committedHash())))
        .orElse(false));
  }

  @Override
  public void deleteAllState() {
    synchronized (this) {
      requireNoBatch("deleteAllState");
      read(() -> {
        // Range deletes in one batch rather than dropping column families: readers may hold handles.
        byte[] all = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF};
        try (WriteBatch batch = new WriteBatch()) {
          batch.deleteRange(store.state, EMPTY, all);
          batch.deleteRange(store.stateDelta, EMPTY, all);
          batch.deleteRange(store.indexes, BucketTreeState.ORDERED_PREFIX, new byte[] {0x11 + 1});
          batch.put(store.indexes, STATE_BLOCK_KEY, Codec.u64be(INCOMPLETE_STATE));
          store.db.write(writeOptions, batch);
        } catch (RocksDBException e) {
          throw new LedgerException("Deleting the state in " + store.dir + " failed: " + Store.describe(e), e);
        }
        state.reload();
        ChainHead current = head;
        head = ChainHead.of(current.height(), current.currentHash(), current.previousHash(), INCOMPLETE_STATE);
        return null;
      });
    }
  }

  @Override
  public long verifyChain(long high, long low) {
    return read(() -> {
      Optional<Block> upper = store.readBlock(high);
      if (upper.isEmpty()) {
        return high;
      }
      long n = high;
      byte[] expectedPrevious = upper.get().getPreviousBlockHash().toByteArray();
      while (n > low) {
        Optional<Block> below = store.readBlock(n - 1);
        if (below.isEmpty() || !Arrays.equals(Blocks.hash(below.get()), expectedPrevious)) {
          return n;
        }
        expectedPrevious = below.get().getPreviousBlockHash().toByteArray();
        n--;
      }
      return n;
    });
  }

  @Override
  public void persist(String key, byte[] value) {
    read(() -> {
      records.put(key, value);
      return null;
    });
  }

  @Override
  public Optional<byte[]> persisted(String key) {
    return read(() -> records.get(key));
  }

  @Override
  public Map<String, byte[]> persistedWithPrefix(String prefix) {
    return read(() -> records.withPrefix(prefix));
  }

  @Override
  public void persistAll(Map<String, byte[]> puts, Collection<String> deletes) {
    read(() -> {
      records.write(puts, deletes);
      return null;
    });
  }

  @Override
  public void unpersist(String key) {
    read(() -> {
      records.delete(key);
      return null;
    });
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (AutoCloseable it : List.copyOf(openIterators)) {
        try {
          it.close();
        } catch (Exception e) {
          LOG.debug("Closing an iterator at ledger close failed", e);
        }
      }
      writeOptions.close();
      state.close();
      store.close();
      HeightMark.write(store.dir, head.height());
      LOG.info("Ledger in {} closed at height {}", store.dir, head.height());
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- argument checks

  static void checkChaincodeId(String chaincodeId) {
    requireText(chaincodeId, "chaincodeId");
    if (chaincodeId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("chaincodeId must not contain the character U+0000: " + chaincodeId);
    }
  }

  static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty string");
    }
  }

  static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }

  static byte[] nullToEmpty(byte[] b) {
    return b == null ? EMPTY : b;
  }
}
