package org.jpeer.ledger;

import java.util.Optional;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Transaction;

/**
 * The peer's ledger: the blockchain, the world state and their indexes. Reads may come from any
 * thread and always see a committed block boundary; writes go through one {@link LedgerBatch} at a time.
 */
public interface Ledger extends AutoCloseable {

  BlockchainInfo blockchainInfo();

  /** Number of blocks, the genesis block included. */
  long height();

  Optional<Block> block(long number);

  Optional<Transaction> transaction(String txid);

  Optional<TxLocation> transactionLocation(String txid);

  /** The recorded failure of a transaction that was ordered but did not execute. */
  Optional<TxFailure> failure(String txid);

  /**
   * The transactions that failed in execution in block {@code number}, in execution order, when this
   * peer executed the block; empty when it did not (a block received by state transfer, one not
   * stored, or one written before jpeer kept these records).
   */
  Optional<java.util.List<FailedTx>> failedIn(long number);

  /** Committed state; never shows the writes of a batch that has not committed. */
  StateReader committedState();

  /** Opens the single write batch; fails if one is already open. */
  LedgerBatch beginBatch();

  @Override
  void close();
}
