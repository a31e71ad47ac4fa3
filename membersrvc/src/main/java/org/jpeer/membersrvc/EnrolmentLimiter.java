package org.jpeer.membersrvc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of enrolment secrets: after {@code allowed} failures in a row an identity is
 * refused for {@code backoff}, doubled for each further failure up to 64 times; a success forgets
 * its failures. Per identity and in memory (a restart forgets, which costs a guesser a restart of
 * the service per round, not a secret).
 */
final class EnrolmentLimiter {
  private record Failures(int count, long blockedUntilNanos) {}

  private static final int MAX_TRACKED = 100_000;

  private final int allowed;
  private final long backoffNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Failures> byId = new ConcurrentHashMap<>();

  EnrolmentLimiter(int allowed, Duration backoff, LongSupplier nanoClock) {
    this.allowed = allowed;
    this.backoffNanos = backoff.toNanos();
    this.nanoClock = nanoClock;
  }

  /** How long the identity must still wait, zero when it may try now. */
  Duration waitFor(String id) {
    Failures f = byId.get(id);
    if (f == null) {
      return Duration.ZERO;
    }
    long left = f.blockedUntilNanos - nanoClock.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** Counts a failure; returns the failures in a row so far. */
  int failed(String id) {
    if (byId.size() >= MAX_TRACKED) {
      byId.clear(); // memory stays bounded under a flood of made-up ids
    }
    Failures f =
        byId.compute(
            id,
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
}
