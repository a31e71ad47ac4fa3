package org.jpeer.ledger;

import java.util.Objects;
import org.jpeer.protos.Transaction;

/**
 * A transaction of a batch that failed in execution, as it was ordered, and why. The ledger keeps it
 * with its block ({@link Ledger#failedIn}) and by txid ({@link Ledger#failure}), so that a failure
 * is never unknown and the event hub can replay it.
 */
public record FailedTx(Transaction transaction, String reason) {
  public FailedTx {
    Objects.requireNonNull(transaction, "transaction");
    reason = reason == null ? "" : reason;
  }
}
