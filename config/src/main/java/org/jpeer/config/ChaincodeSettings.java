package org.jpeer.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The {@code chaincode.*} keys. Bare numbers are milliseconds for the timeouts and seconds for the
 * keepalive, as in the original; Go durations ({@code 30s}) are accepted too.
 *
 * @param keepalive zero when keepalives are off
 */
public record ChaincodeSettings(
    ChaincodeMode mode,
    Duration startupTimeout,
    Duration deployTimeout,
    Duration executeTimeout,
    Duration keepalive,
    String installPath) {

  static ChaincodeSettings from(Settings s) {
    return new ChaincodeSettings(
        s.oneOf("chaincode.mode", ChaincodeMode.class),
        positive(s, "chaincode.startuptimeout", ChronoUnit.MILLIS),
        positive(s, "chaincode.deploytimeout", ChronoUnit.MILLIS),
        positive(s, "chaincode.executetimeout", ChronoUnit.MILLIS),
        s.duration("chaincode.keepalive", ChronoUnit.SECONDS),
        s.string("chaincode.installpath"));
  }

  private static Duration positive(Settings s, String key, ChronoUnit bareUnit) {
    Duration d = s.duration(key, bareUnit);
    if (d.isZero()) {
      throw ConfigException.invalid(s.value(key), "expected a duration greater than zero");
    }
    return d;
  }
}
