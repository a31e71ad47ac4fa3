package org.jpeer.shim;

import java.util.Iterator;

/** The result of a range query, fetched page by page from the peer. */
public interface StateRange extends Iterator<KeyValue>, AutoCloseable {
  @Override
  void close();
}
