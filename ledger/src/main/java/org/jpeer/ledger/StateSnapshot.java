package org.jpeer.ledger;

import java.util.Iterator;

/** Every (chaincode, key, value) of committed state at one block, read from a RocksDB snapshot. */
public interface StateSnapshot extends Iterator<StateSnapshot.Entry>, AutoCloseable {

  record Entry(String chaincodeId, String key, byte[] value) {}

  /** The block whose state this is. */
  long blockNumber();

  @Override
  void close();
}
