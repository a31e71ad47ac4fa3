package org.jpeer.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator's side of the REST server: where request counts go, what {@code GET /metrics}
 * answers (Prometheus text), and what {@code /healthz} / {@code /readyz} check.
 *
 * @param registry counts every request by route, method and status
 * @param scrape the Prometheus text exposition of every meter of the peer
 * @param health the liveness and readiness checks
 */
public record Operations(MeterRegistry registry, Supplier<String> scrape, Health health) {
  public Operations {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(scrape, "scrape");
    Objects.requireNonNull(health, "health");
  }

  /** For a REST server without a peer behind it (tests): nothing exported, always healthy. */
  public static Operations none() {
    return new Operations(new SimpleMeterRegistry(), () -> "", Health.SERVING);
  }
}
