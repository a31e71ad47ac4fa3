package org.jpeer.chaincode;

import org.jpeer.protos.Transaction;

/**
 * The {@code binding} of a chaincode's security context: with {@code security.enabled} the
 * configured hash of the transaction's {@code cert} followed by its {@code nonce}, as the original's
 * {@code GetTransactionBinding}; empty with security off.
 */
@FunctionalInterface
public interface TransactionBinding {
  TransactionBinding NONE = tx -> new byte[0];

  byte[] of(Transaction tx);
}
