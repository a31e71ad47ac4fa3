package org.jpeer.peer.engine;

import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.consensus.Consenter;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.Transaction;

/**
 * The validating peer's engine: queries are answered at once against committed state; deploys and
 * invokes go to the consenter, which holds at most {@code capacity} of them
 * ({@code peer.validator.consensus.buffersize}) and refuses more.
 */
public final class Engine implements TransactionEngine {

  private final Ledger ledger;
  private final ChaincodeService chaincode;
  private final Consenter consenter;
  private final int capacity;

  public Engine(Ledger ledger, ChaincodeService chaincode, Consenter consenter, int capacity) {
    this.ledger = ledger;
    this.chaincode = chaincode;
    this.consenter = consenter;
    this.capacity = capacity;
  }

  @Override
  public void submit(Transaction tx) throws EngineBusyException {
    Transaction.Type type = tx.getType();
    if (type != Transaction.Type.CHAINCODE_DEPLOY && type != Transaction.Type.CHAINCODE_INVOKE) {
      throw new IllegalArgumentException(
          "only deploy and invoke transactions are ordered; transaction " + tx.getTxid() + " is " + type);
    }
    boolean accepted;
    try {
      accepted = consenter.submit(tx);
    } catch (IllegalStateException e) {
      throw new EngineBusyException("the peer is shutting down; transaction " + tx.getTxid() + " was not accepted");
    }
    if (!accepted) {
      throw new EngineBusyException("the peer is busy: " + capacity
          + " transactions are already waiting to be ordered (peer.validator.consensus.buffersize="
          + capacity + "); transaction " + tx.getTxid() + " was not accepted, retry later");
    }
  }

  /**
   * Runs a query against committed state, unless the consenter has the state being replaced by
   * state transfer: then it is refused as the original refuses it (devops prefixes "Error:", which
   * gives the original's "Error: state may be inconsistent, cannot query").
   */
  @Override
  public byte[] query(Transaction tx) throws ChaincodeException {
    if (!consenter.queriesAllowed()) {
      throw new ChaincodeException(" state may be inconsistent, cannot query");
    }
    return chaincode.query(tx, ledger.committedState());
  }

  /** Accepted transactions not yet executed. */
  public int pending() {
    return consenter.pending();
  }
}
