package org.jpeer.bench.events;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of nanosecond samples, printed in milliseconds. */
public record Percentiles(int count, long min, long p50, long p90, long p99, long max) {

  public static Percentiles of(long[] samples) {
    long[] s = samples.clone();
    Arrays.sort(s);
    if (s.length == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0);
    }
    return new Percentiles(s.length, s[0], rank(s, 50), rank(s, 90), rank(s, 99), s[s.length - 1]);
  }

  private static long rank(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** {@code p50 1.2  p90 3.4  p99 5.6  max 7.8  (min 0.1, n 2500)}, in ms. */
  @Override
  public String toString() {
    if (count == 0) {
      return "no samples";
    }
    return String.format("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (min %.2f, n %d)",
        p50 / 1e6, p90 / 1e6, p99 / 1e6, max / 1e6, min / 1e6, count);
  }
}
