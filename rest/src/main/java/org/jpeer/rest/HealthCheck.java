package org.jpeer.rest;

import java.util.Objects;

/**
 * One check of {@code /healthz} or {@code /readyz}: its name, whether it passes, and a short text
 * an operator can act on ("state transfer to block 1200 in progress").
 */
public record HealthCheck(String name, boolean up, String detail) {
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
  }

  public static HealthCheck up(String name, String detail) {
    return new HealthCheck(name, true, detail);
  }

  public static HealthCheck down(String name, String detail) {
    return new HealthCheck(name, false, detail);
  }
}
