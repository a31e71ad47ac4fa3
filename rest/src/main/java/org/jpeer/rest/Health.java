package org.jpeer.rest;

import java.util.List;

/**
 * What {@code /healthz} and {@code /readyz} report. Each call evaluates the checks afresh; a check
 * must be cheap and must not block (a load balancer polls it every few seconds).
 */
public interface Health {
  /** Live: the process serves requests. A failing liveness check means "restart me". */
  List<HealthCheck> liveness();

  /** Ready: this peer can take transactions now. A failing one means "send clients elsewhere". */
  List<HealthCheck> readiness();

  /** A peer part with nothing to check: live and ready as long as it answers. */
  Health SERVING = new Health() {
    @Override
    public List<HealthCheck> liveness() {
      return List.of(HealthCheck.up("rest", "serving"));
    }

    @Override
    public List<HealthCheck> readiness() {
      return liveness();
    }
  };
}
