package org.jpeer.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The noops consenter's settings.
 *
 * @param blockSize transactions per block
 * @param blockWait longest wait after the first queued transaction (a bare number means seconds)
 */
public record NoopsSettings(int blockSize, Duration blockWait) {

  static NoopsSettings from(Settings s) {
    Duration wait = s.duration("block.wait", ChronoUnit.SECONDS);
    if (wait.isZero()) {
      // the original refuses 0 too: a zero wait would cut a block per transaction by timer
      throw ConfigException.invalid(s.value("block.wait"), "expected a duration greater than zero");
    }
    return new NoopsSettings(s.intIn("block.size", 1, 1_000_000), wait);
  }
}
