package org.jpeer.rest;

import java.util.List;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /healthz} and {@code GET /readyz}: 200 when every check passes, else 503, with a JSON
 * body naming each check: {@code {"status":"UP","checks":[{"name":"ledger","status":"UP",
 * "detail":"height 12"}]}}. Never cached: a stale "UP" would keep a load balancer sending clients.
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
  static final String LIVE = "/healthz";
  static final String READY = "/readyz";

  private final Health health;

  HealthHandler(Health health) {
    this.health = health;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Http.path(request);
    if (!path.equals(LIVE) && !path.equals(READY)) {
      return false;
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      return false;
    }
    List<HealthCheck> checks;
    try {
      checks = path.equals(LIVE) ? health.liveness() : health.readiness();
    } catch (RuntimeException e) {
      checks = List.of(HealthCheck.down("health", "a check failed: " + e));
    }
    boolean up = checks.stream().allMatch(HealthCheck::up);
    response.getHeaders().put("Cache-Control", "no-store");
    Http.send(response, callback, up ? 200 : 503, HttpMethod.HEAD.is(method) ? "" : render(up, checks));
    return true;
  }

  static String render(boolean up, List<HealthCheck> checks) {
    StringBuilder out = new StringBuilder(64 + 64 * checks.size());
    out.append("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":[");
    for (int i = 0; i < checks.size(); i++) {
      HealthCheck c = checks.get(i);
      out.append(i == 0 ? "" : ",").append("{\"name\":");
      GoJson.string(out, c.name());
      out.append(",\"status\":\"").append(c.up() ? "UP" : "DOWN").append("\",\"detail\":");
      GoJson.string(out, c.detail());
      out.append('}');
    }
    return out.append("]}\n").toString();
  }
}
