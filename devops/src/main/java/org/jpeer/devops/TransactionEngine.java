package org.jpeer.devops;

import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.Transaction;

/**
 * What devops needs from the peer's engine (implemented in module {@code peer}): ordering of
 * deploy and invoke transactions, and direct answers to queries.
 */
public interface TransactionEngine {

  /**
   * Hands a deploy or invoke transaction to the consenter and returns at once.
   *
   * @throws EngineBusyException when the bounded queue to the consenter is full; nothing was accepted
   */
  void submit(Transaction tx) throws EngineBusyException;

  /** Runs a query transaction read-only against committed state and returns the chaincode's answer. */
  byte[] query(Transaction tx) throws ChaincodeException;
}
