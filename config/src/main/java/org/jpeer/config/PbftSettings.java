package org.jpeer.config;

import java.time.Duration;

/**
 * PBFT settings (batch mode). Checked here: {@code N >= 3f+1}, {@code logmultiplier >= 2} and
 * {@code mode = batch}; the timeout adjustments of the original (request raised to 1.5 x batch,
 * nullrequest to 1.5 x request) are left to the consenter.
 */
public record PbftSettings(
    int n,
    int f,
    int k,
    int logMultiplier,
    int batchSize,
    boolean byzantine,
    int viewChangePeriod,
    Duration batchTimeout,
    Duration requestTimeout,
    Duration viewChangeTimeout,
    Duration resendViewChangeTimeout,
    Duration nullRequestTimeout,
    Duration broadcastTimeout) {

  static PbftSettings from(Settings s) {
    ConfigValue mode = s.value("general.mode");
    if (!mode.text().trim().equalsIgnoreCase("batch")) {
      throw ConfigException.invalid(mode, "the only allowed value is batch");
    }
    int f = s.intIn("general.f", 0, 1000);
    int n = s.intIn("general.N", 1, 3001);
    if (n < 3 * f + 1) {
      throw ConfigException.invalid(
          s.value("general.N"), "N must be at least 3f+1 = " + (3 * f + 1) + " with general.f = " + f);
    }
    return new PbftSettings(
        n,
        f,
        s.intIn("general.K", 1, 1_000_000),
        s.intIn("general.logmultiplier", 2, 1000),
        s.intIn("general.batchsize", 1, 1_000_000),
        s.bool("general.byzantine"),
        s.intIn("general.viewchangeperiod", 0, 1_000_000),
        s.duration("general.timeout.batch", null),
        s.duration("general.timeout.request", null),
        s.duration("general.timeout.viewchange", null),
        s.duration("general.timeout.resendviewchange", null),
        s.duration("general.timeout.nullrequest", null),
        s.duration("general.timeout.broadcast", null));
  }
}
