package org.jpeer.ledger;

/** A transaction that was ordered but failed to execute, kept so that it is never "unknown". */
public record TxFailure(String txid, long blockNumber, String reason) {}
