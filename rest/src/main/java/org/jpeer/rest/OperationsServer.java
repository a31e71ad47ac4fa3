package org.jpeer.rest;

import java.io.IOException;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} alone on {@code operations.listenAddress},
 * for operators who keep scrapes and probes off the client port (or expose the client port only
 * through a proxy). Its own small thread pool: a flood of client requests cannot starve the probes.
 */
public final class OperationsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);

  private final JettyServer server;
  private final String host;

  public OperationsServer(String host, int port, Operations operations) {
    this.host = host;
    server = new JettyServer("operations", host, port, 8, 30_000, new RequestMetrics(operations.registry(),
        new Handler.Sequence(
            new MetricsHandler(operations.scrape()),
            new HealthHandler(operations.health()),
            new NotFoundHandler())));
  }

  public void start() throws IOException {
    server.start();
    log.info("Operations endpoints (/metrics, /healthz, /readyz) listening on {}:{}", host, port());
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
