package org.jpeer.membersrvc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of enrolment secrets: after {@code allowed} failures in a row an identity is
 * refused for {@code backoff}, doubled for each further failure up to 64 times; a success forgets
 * its failures. Per identity and in memory (a restart forgets, which costs a guesser a restart of
 * the service per round, not a secret).
 *
 * <p>Unknown ids are counted like known ones, or the throttle itself would tell which ids exist. So
 * memory stays bounded under a flood of made-up ids, at {@code maxTracked} ids the entries that block
 * nothing are dropped; blocked ones are never dropped, so a flood cannot lift the block on a real id.
 * When every tracked id is blocked, the ids not tracked share one counter: a flood then slows down
 * every untracked id, which costs availability, not a secret.
 */
final class EnrolmentLimiter {
  private record Failures(int count, long blockedUntilNanos) {
    boolean blocks(long now, int allowed) {
      return count >= allowed - 1 || blockedUntilNanos - now > 0;
    }
  }

  private static final String UNTRACKED = "\u0000untracked"; // no id may hold a control character

  private final int allowed;
  private final long backoffNanos;
  private final int maxTracked;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Failures> byId = new ConcurrentHashMap<>();

  EnrolmentLimiter(int allowed, Duration backoff, LongSupplier nanoClock) {
    this(allowed, backoff, 100_000, nanoClock);
  }

  EnrolmentLimiter(int allowed, Duration backoff, int maxTracked, LongSupplier nanoClock) {
    this.allowed = allowed;
    this.backoffNanos = backoff.toNanos();
    this.maxTracked = maxTracked;
    this.nanoClock = nanoClock;
  }

  /** How long the identity must still wait, zero when it may try now. */
  Duration waitFor(String id) {
    Failures f = byId.get(id);
    if (f == null && byId.size() >= maxTracked) {
      f = byId.get(UNTRACKED);
    }
    if (f == null) {
      return Duration.ZERO;
    }
    long left = f.blockedUntilNanos - nanoClock.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** Counts a failure; returns the failures in a row so far. */
  int failed(String id) {
    String key = id;
    if (!byId.containsKey(id) && byId.size() >= maxTracked) {
      long now = nanoClock.getAsLong();
      byId.entrySet().removeIf(e -> !e.getKey().equals(UNTRACKED) && !e.getValue().blocks(now, allowed));
      if (byId.size() >= maxTracked) {
        key = UNTRACKED;
      }
    }
    Failures f =
        byId.compute(
            key,
            (k, old) -> {
              int count = old == null ? 1 : old.count + 1;
              long until = 0;
              if (count >= allowed) {
                int doublings = Math.min(count - allowed, 6);
                until = nanoClock.getAsLong() + (backoffNanos << doublings);
              }
              return new Failures(count, until);
            });
    return f.count;
  }

  void succeeded(String id) {
    byId.remove(id);
  }

  int tracked() {
    return byId.size();
  }
}
