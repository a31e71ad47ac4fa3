package org.jpeer.ledger;

import java.util.List;
import org.jpeer.protos.Block;

/**
 * Told about every block the ledger stores, after the write is durable, on the writing thread
 * (the executor for commits, state transfer for received blocks). Must return quickly and must not
 * write to the ledger; an exception is logged and does not undo the write.
 */
public interface LedgerListener {

  /** Block {@code number} was executed by this peer and committed; {@code failed} are its failed transactions. */
  void committed(long number, Block block, List<FailedTx> failed);

  /** Block {@code number} was received from another peer and stored as given (state transfer). */
  void stored(long number, Block block);
}
