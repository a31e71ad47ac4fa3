package org.jpeer.consensus.noops;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The noops keys {@code block.size} and {@code block.wait} (env {@code CORE_NOOPS_BLOCK_SIZE},
 * {@code CORE_NOOPS_BLOCK_WAIT}).
 *
 * @param blockSize most transactions per block
 * @param blockWait longest time a transaction waits for its batch to be cut while the executor is busy
 */
public record NoopsConfig(int blockSize, Duration blockWait) {

  public static final NoopsConfig DEFAULTS = new NoopsConfig(500, Duration.ofSeconds(1));

  private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  public NoopsConfig {
    if (blockSize < 1) {
      blockSize = 1; // the original's rule: < 1 means 1
    }
    if (blockWait == null || blockWait.isNegative() || blockWait.isZero()) {
      throw new IllegalArgumentException("noops block.wait must be a positive duration, got " + blockWait);
    }
  }

  /**
   * Reads the two keys as the original does: a size below 1 is 1; a wait is a Go duration
   * ({@code 1s}, {@code 500ms}, {@code 1m30s}) or a bare number of seconds, and must be positive.
   */
  public static NoopsConfig parse(String blockSize, String blockWait) {
    int size;
    try {
      size = Integer.parseInt(blockSize.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("noops block.size must be an integer, got '" + blockSize + "'", e);
    }
    return new NoopsConfig(size, parseDuration(blockWait));
  }

  /** A Go duration string, or a bare number meaning seconds. */
  static Duration parseDuration(String text) {
    String s = text == null ? "" : text.trim();
    if (s.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(s) * 1e9));
    }
    Matcher m = GO_PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      double unit = switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      nanos += Math.round(v * unit);
      end = m.end();
    }
    if (s.isEmpty() || end != s.length()) {
      throw new IllegalArgumentException(
          "noops block.wait '" + text + "' is not a duration (examples: 1s, 500ms, 2m, or a number of seconds)");
    }
    return Duration.ofNanos(nanos);
  }
}
