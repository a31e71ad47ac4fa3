package org.jpeer.peer.network;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; fails with what was last seen. */
public final class Await {
  private Await() {}

  public static final Duration DEFAULT = Duration.ofSeconds(20);

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition, () -> "");
  }

  public static void until(String what, BooleanSupplier condition, Supplier<Object> seen) {
    until(what, DEFAULT, condition, seen);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> seen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + seen.get());
      }
      LockSupport.parkNanos(10_000_000); // polling interval, not a guess at how long work takes
    }
  }
}
