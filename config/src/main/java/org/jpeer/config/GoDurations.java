package org.jpeer.config;

import java.math.BigDecimal;
import java.time.Duration;

/** Parses Go duration strings ({@code 1s}, {@code 500ms}, {@code 1h30m}, {@code 1.5s}, {@code 0}). */
final class GoDurations {
  private GoDurations() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException when the text is not a Go duration
   */
  static Duration parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("expected a number at " + ConfigException.quote(s.substring(i)));
      }
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad number " + ConfigException.quote(s.substring(start, i)));
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      long unitNanos =
          switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "" -> throw new IllegalArgumentException("missing unit after " + number.toPlainString());
            default -> throw new IllegalArgumentException("unknown unit " + ConfigException.quote(unit));
          };
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("duration too long");
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  /** Go's own spelling of a duration, for messages and logs: {@code 1s}, {@code 1m30s}, {@code 500ms}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L != 0) {
      return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : nanos + "ns";
    }
    long seconds = d.getSeconds();
    StringBuilder out = new StringBuilder();
    if (seconds >= 3600) {
      out.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60 || (out.length() > 0 && seconds > 0)) {
      out.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || out.length() == 0) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }
}
