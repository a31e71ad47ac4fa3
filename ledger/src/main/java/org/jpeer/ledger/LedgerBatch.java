package org.jpeer.ledger;

import java.util.List;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;

/**
 * One batch of transactions on its way to becoming one block. Only one batch is open at a time;
 * transactions run one after the other ({@link #beginTx} while no other TxState is open).
 */
public interface LedgerBatch extends AutoCloseable {

  TxState beginTx(String txid);

  /** The state hash the ledger will have if this batch commits now. */
  byte[] previewStateHash();

  /**
   * The blockchain info the ledger will have if this batch commits now with these transactions and
   * metadata (Fabric's PreviewCommitTxBatch, used as a PBFT checkpoint id by the legacy API).
   */
  BlockchainInfo previewBlockchainInfo(List<Transaction> transactions, byte[] consensusMetadata);

  /**
   * Writes the block (these transactions, in this order), the batch's state delta, the new state
   * hash, the indexes and the failure records in one atomic, synced write, and returns the block as
   * stored. {@code failures} are the transactions of this batch that failed; they are not in the block,
   * and are kept both by txid ({@link Ledger#failure}) and with this block ({@link Ledger#failedIn}).
   *
   * <p>{@code events} becomes {@code nonHashData.chaincodeEvents} as given: as in the original, one
   * entry per executed transaction (failed ones included) in execution order, an empty
   * {@code ChaincodeEvent} where a transaction produced none. {@code consensusMetadata} may be null or
   * empty (noops). A failure is recorded under this block's number, whatever its {@code blockNumber}.
   * Unknown protobuf fields of the transactions are dropped before hashing and storing.
   */
  Block commit(List<Transaction> transactions, byte[] consensusMetadata, List<ChaincodeEvent> events,
      List<FailedTx> failures);

  /** Forgets every write of this batch. */
  void rollback();

  /** Rolls back unless committed. */
  @Override
  void close();
}
