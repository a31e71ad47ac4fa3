package org.jpeer.config;

import java.util.Optional;

/**
 * The {@code operations.*} keys (jpeer only).
 *
 * @param listenAddress where {@code /metrics}, {@code /healthz} and {@code /readyz} are served
 *     besides the REST port; empty when {@code operations.listenAddress} is blank
 */
public record OperationsSettings(Optional<HostPort> listenAddress) {
  static OperationsSettings from(Settings s) {
    if (!s.has("operations.listenAddress") || s.string("operations.listenAddress").isBlank()) {
      return new OperationsSettings(Optional.empty());
    }
    return new OperationsSettings(Optional.of(s.address("operations.listenAddress")));
  }
}
