package org.jpeer.peer.operations;

import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.protos.Transaction;

/** Counts the deploys and invokes the engine refuses as {@code jpeer_transactions_refused_total{reason}}. */
public final class MeteredEngine implements TransactionEngine {
  static final String STOPPING_PREFIX = "the peer is shutting down";

  private final TransactionEngine engine;
  private final PeerMetrics metrics;

  public MeteredEngine(TransactionEngine engine, PeerMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  @Override
  public void submit(Transaction tx) throws EngineBusyException {
    try {
      engine.submit(tx);
    } catch (EngineBusyException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(STOPPING_PREFIX)) {
        metrics.refusedStopping();
      } else {
        metrics.refusedBusy();
      }
      throw e;
    }
  }

  @Override
  public byte[] query(Transaction tx) throws ChaincodeException {
    return engine.query(tx);
  }
}
