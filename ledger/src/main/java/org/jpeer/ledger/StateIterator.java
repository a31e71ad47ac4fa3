package org.jpeer.ledger;

import java.util.Iterator;

/** A range scan over state; holds resources (a RocksDB iterator or snapshot) until closed. */
public interface StateIterator extends Iterator<StateEntry>, AutoCloseable {
  @Override
  void close();
}
