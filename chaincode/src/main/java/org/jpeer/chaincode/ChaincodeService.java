package org.jpeer.chaincode;

import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/** What the rest of the peer asks of chaincode: package it, run transactions, answer queries. */
public interface ChaincodeService extends AutoCloseable {

  /**
   * Packages the code that {@code spec} points at (deterministic tar.gz) and derives the chaincode
   * name; the returned spec carries the name in {@code chaincodeSpec.chaincodeID.name}. In dev mode
   * the package is empty and the name is the one given.
   */
  ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException;

  /**
   * Executes a deploy (launch and INIT) or invoke (TRANSACTION) transaction against the state of the
   * running batch. The caller commits or discards {@code state} according to the outcome.
   */
  ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException;

  /** Runs a query (QUERY) read-only against committed state and returns its result. */
  byte[] query(Transaction tx, StateReader committed) throws ChaincodeException;

  @Override
  void close();
}
