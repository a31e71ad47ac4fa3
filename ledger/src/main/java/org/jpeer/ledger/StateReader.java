package org.jpeer.ledger;

/** Read access to world state, keyed by (chaincode ID, key). */
public interface StateReader {

  /** The value stored under {@code key} for {@code chaincodeId}, or {@code null} when there is none. */
  byte[] get(String chaincodeId, String key);

  /**
   * The keys of one chaincode from {@code startKey} to {@code endKey}, both inclusive, in ascending
   * byte order of the UTF-8 key (the original's range-query semantics). An empty {@code endKey}
   * means "to the last key of the chaincode". The caller must close the iterator.
   */
  StateIterator range(String chaincodeId, String startKey, String endKey);
}
