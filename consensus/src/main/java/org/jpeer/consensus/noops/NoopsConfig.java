package org.jpeer.consensus.noops;

import java.time.Duration;

/**
 * How noops cuts batches. A plain value: the peer fills it from the configuration module's
 * {@code NoopsSettings} (keys {@code block.size} and {@code block.wait}, read and checked there, with
 * the one Go-duration parser).
 *
 * @param blockSize most transactions per block
 * @param blockWait longest time a transaction waits for its batch to be cut while the executor is busy
 */
public record NoopsConfig(int blockSize, Duration blockWait) {

  /** The bundled noops.yaml: blocks of 500, one second's wait. */
  public static final NoopsConfig DEFAULTS = new NoopsConfig(500, Duration.ofSeconds(1));

  public NoopsConfig {
    if (blockSize < 1) {
      throw new IllegalArgumentException("noops block size must be at least 1, got " + blockSize);
    }
    if (blockWait == null || blockWait.isNegative() || blockWait.isZero()) {
      throw new IllegalArgumentException("noops block wait must be a positive duration, got " + blockWait);
    }
  }
}
