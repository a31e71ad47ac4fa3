package org.jpeer.consensus;

import java.time.Duration;

/** Schedules delayed work; injected so that batching can be tested without waiting. */
public interface Timer extends AutoCloseable {

  /** Runs {@code action} once after {@code delay} unless cancelled first. */
  Cancellable schedule(Duration delay, Runnable action);

  @Override
  void close();

  /** A scheduled action that has not run yet can be cancelled. */
  interface Cancellable {
    void cancel();
  }
}
