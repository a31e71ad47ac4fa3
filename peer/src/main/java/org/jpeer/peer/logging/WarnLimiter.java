package org.jpeer.peer.logging;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one WARN line per interval for a recurring condition (a full queue, a peer sending
 * garbage), with the number of occurrences left out since the last one; every occurrence still goes
 * to DEBUG. A flood of bad input must not become a flood of log lines.
 */
public final class WarnLimiter {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextWarn = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public WarnLimiter(Logger log, long intervalNanos) {
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  /** Logs {@code text} at WARN unless one was logged less than an interval ago, then at DEBUG. */
  public void warn(String text) {
    long now = System.nanoTime();
    long next = nextWarn.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextWarn.compareAndSet(next, now + intervalNanos)) {
      long left = suppressed.getAndSet(0);
      log.warn(left == 0 ? text : text + " (" + left + " more since the last such warning)");
    } else {
      suppressed.incrementAndGet();
      log.debug(text);
    }
  }
}
