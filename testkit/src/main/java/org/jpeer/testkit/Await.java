package org.jpeer.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one way tests wait: for a condition, with a deadline, never for a guessed time. A failure
 * says what was awaited, for how long, and (through a {@link Watch}) why it can no longer happen
 * and what the watched process printed.
 */
public final class Await {
  /** Generous on purpose: the build machine is shared, and a deadline only bounds a failure. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  // How often the condition is checked; not a guess at how long the awaited work takes.
  private static final long POLL_NANOS = 10_000_000;

  private Await() {}

  /** Something that becomes true; may throw, which fails the wait at once. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Something that becomes available; {@code null} until it is. */
  @FunctionalInterface
  public interface Attempt<T> {
    T get() throws Exception;
  }

  /** What a wait depends on, e.g. a child process: it may make the condition hopeless. */
  public interface Watch {
    Watch NONE = new Watch() {
      @Override
      public String hopeless() {
        return null;
      }

      @Override
      public String describe() {
        return "";
      }
    };

    /** Why the condition can never hold any more (the process exited), or {@code null}. */
    String hopeless();

    /** Appended to a failure, e.g. the process's output. */
    String describe();
  }

  public static void until(String what, Condition condition) {
    until(what, PATIENCE, condition, Watch.NONE);
  }

  public static void until(String what, Duration timeout, Condition condition) {
    until(what, timeout, condition, Watch.NONE);
  }

  public static void until(String what, Duration timeout, Condition condition, Watch watch) {
    result(what, timeout, () -> condition.holds() ? Boolean.TRUE : null, watch);
  }

  /** Waits until {@code attempt} returns non-null and returns that. */
  public static <T> T result(String what, Duration timeout, Attempt<T> attempt) {
    return result(what, timeout, attempt, Watch.NONE);
  }

  public static <T> T result(String what, Duration timeout, Attempt<T> attempt, Watch watch) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // read before the check: a condition that held just before the watched process exited counts
      String hopeless = watch.hopeless();
      T value = check(what, attempt, watch);
      if (value != null) {
        return value;
      }
      if (hopeless != null) {
        throw new AssertionError("gave up waiting until " + what + ": " + hopeless + context(watch));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what + context(watch));
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what);
      }
    }
  }

  private static <T> T check(String what, Attempt<T> attempt, Watch watch) {
    try {
      return attempt.get();
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("checking whether " + what + " failed: " + e + context(watch), e);
    }
  }

  private static String context(Watch watch) {
    String text = watch.describe();
    return text.isEmpty() ? "" : "\n" + text;
  }

  /** A watch over a supplier of context only, e.g. a log that explains a timeout. */
  public static Watch describing(Supplier<String> context) {
    return new Watch() {
      @Override
      public String hopeless() {
        return null;
      }

      @Override
      public String describe() {
        return context.get();
      }
    };
  }
}
