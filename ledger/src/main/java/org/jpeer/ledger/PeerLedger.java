package org.jpeer.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jpeer.protos.Block;

/**
 * The ledger as the peer composes it: {@link Ledger} plus what state transfer, the consensus
 * persistor and operators need. Calls that change state here require that no batch is open.
 */
public interface PeerLedger extends Ledger {

  /** The hash of committed state (empty array when the state is empty or for {@code raw}). */
  byte[] committedStateHash();

  /**
   * The number of the block whose state hash the committed state has (normally height − 1), or −1
   * while the state is incomplete: wiped by {@link #deleteAllState} and not yet completed by
   * {@link #finishSnapshot}. An incomplete state must be transferred before the peer executes.
   */
  long stateBlockNumber();

  /**
   * Blocks {@code from} to {@code to}, both inclusive, in that direction (descending when
   * {@code from > to}); stops at the first block that is not stored.
   */
  List<Block> blocks(long from, long to);

  /** The state delta of a block, if still kept (see {@code deltaHistorySize}). */
  Optional<StateDelta> stateDelta(long blockNumber);

  /** A consistent snapshot of the whole committed state; the caller must close it. */
  StateSnapshot stateSnapshot();

  /**
   * Stores a block received from another peer as given (nonHashData included) and indexes it; raises
   * the height when {@code number} is at or beyond it. World state is not touched. A block below the
   * last one may be stored while a batch is open (filling in old blocks after a snapshot); the last
   * block and those above need the ledger without an open batch.
   */
  void putRawBlock(Block block, long number);

  /**
   * Applies a delta received by state transfer (or its {@link StateDelta#backwards()} to go back),
   * checks that the resulting state hash equals block {@code blockNumber}'s state hash, and commits
   * it only if it does. No block and no per-block delta is written.
   *
   * @throws LedgerException when the block is not stored or the hashes differ (nothing is written)
   */
  void applyStateDelta(long blockNumber, StateDelta delta);

  /**
   * Applies one piece of a state snapshot without verification (the state is only complete after
   * the last piece); {@link #finishSnapshot} checks and completes it.
   */
  void applySnapshotPiece(StateDelta piece);

  /**
   * Marks the state loaded from a snapshot as the state of block {@code blockNumber}, after checking
   * that it hashes to that block's state hash.
   *
   * @throws LedgerException when the block is missing or the hashes differ (the state stays incomplete)
   */
  void finishSnapshot(long blockNumber);

  /** Whether committed state hashes to block {@code blockNumber}'s state hash. */
  boolean stateMatchesBlock(long blockNumber);

  /**
   * Deletes all world state and all per-block deltas (before loading a snapshot); the state is then
   * incomplete ({@link #stateBlockNumber()} is −1) until {@link #finishSnapshot}, also across restarts.
   */
  void deleteAllState();

  /**
   * Walking down from {@code high}, the lowest block number m ≥ {@code low} such that every block in
   * (m, high] carries the hash of its stored predecessor (Fabric's VerifyChain).
   */
  long verifyChain(long high, long low);

  /** Adds a listener told of every block stored from now on (see {@link LedgerListener}). */
  void addListener(LedgerListener listener);

  /** {@code persistCF}: records of other components (discovery list, consensus state). */
  void persist(String key, byte[] value);

  Optional<byte[]> persisted(String key);

  /** Every persisted record whose key starts with {@code prefix}, keyed by the rest of the key. */
  Map<String, byte[]> persistedWithPrefix(String prefix);

  void unpersist(String key);

  /**
   * Writes {@code puts} and deletes {@code deletes} in {@code persistCF} as one atomic write, synced
   * like a block commit: after a crash all of it or none of it is on disk. A key in both is written.
   */
  void persistAll(Map<String, byte[]> puts, Collection<String> deletes);
}
