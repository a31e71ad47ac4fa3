package org.jpeer.ledger;

/**
 * The state one transaction sees while it runs inside a {@link LedgerBatch}: committed state,
 * overlaid by the writes of the batch's earlier successful transactions, overlaid by its own writes.
 * Exactly one of {@link #commit()} or {@link #discard()} ends it.
 */
public interface TxState extends StateReader {

  String txid();

  void put(String chaincodeId, String key, byte[] value);

  void delete(String chaincodeId, String key);

  /** Keeps this transaction's writes in the batch. */
  void commit();

  /** Drops this transaction's writes (the transaction failed). */
  void discard();
}
