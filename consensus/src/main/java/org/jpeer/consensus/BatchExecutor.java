package org.jpeer.consensus;

import java.util.List;
import org.jpeer.protos.Transaction;

/**
 * Executes an ordered batch and commits it as one block. Implemented by the peer (chaincode and
 * ledger); called from a single thread, one batch at a time, in order.
 */
public interface BatchExecutor {

  /**
   * Runs {@code transactions} in order; the successful ones form the block, the failed ones are
   * left out and reported. A failing transaction is not an exception. {@code consensusMetadata}
   * becomes the block's {@code consensusMetadata} (PBFT: a serialized {@code pbft.Metadata}; noops:
   * empty).
   *
   * @throws RuntimeException only when the block itself could not be committed
   */
  BatchOutcome executeAndCommit(List<Transaction> transactions, byte[] consensusMetadata);
}
