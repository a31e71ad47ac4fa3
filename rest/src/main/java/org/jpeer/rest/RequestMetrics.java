package org.jpeer.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts every answered request as {@code jpeer_rest_requests_total{route,method,status}} once its
 * response is complete (for {@code /events}, when the stream ends). Labels come from
 * {@link Routes}, so their number is bounded whatever clients send.
 */
final class RequestMetrics extends Handler.Wrapper {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry, Handler handler) {
    super(handler);
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String method = request.getMethod();
    String route = Routes.template(method, Http.path(request));
    String knownMethod = route.equals(Routes.UNMATCHED) ? "other" : method;
    return super.handle(request, response, new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        count(route, knownMethod, response.getStatus());
        super.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        count(route, knownMethod, response.isCommitted() ? response.getStatus() : 500);
        super.failed(x);
      }
    });
  }

  private void count(String route, String method, int status) {
    String key = route + ' ' + method + ' ' + status;
    counters.computeIfAbsent(key, k -> Counter.builder("jpeer.rest.requests")
        .description("REST requests answered, by route template, method and HTTP status")
        .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
        .register(registry)).increment();
  }
}
