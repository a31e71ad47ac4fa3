package org.jpeer.peer.network;

import java.time.Duration;
import java.util.Optional;

/**
 * The replies to one state-transfer request sent to one peer, in arrival order. Replies wait here
 * (bounded by {@code peer.sync.*.channelSize}; beyond that the stream stops being read) until taken.
 * Closing abandons the request: later replies to it are dropped.
 */
public interface Replies<T> extends AutoCloseable {

  /**
   * The next reply, waiting at most {@code timeout}; empty on timeout or when the stream has ended
   * ({@link #ended()}).
   */
  Optional<T> next(Duration timeout) throws InterruptedException;

  /** Whether the peer's stream has closed: nothing more will come. */
  boolean ended();

  @Override
  void close();
}
