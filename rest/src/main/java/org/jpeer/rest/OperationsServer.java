package org.jpeer.rest;

import java.io.IOException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} alone on {@code operations.listenAddress},
 * for operators who keep scrapes and probes off the client port (or expose the client port only
 * through a proxy). Its own small thread pool: a flood of client requests cannot starve the probes.
 */
public final class OperationsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final String host;

  public OperationsServer(String host, int port, Operations operations) {
    this.host = host;
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("operations");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrorHandler());
    server.setHandler(new CommonHeaders(new RequestMetrics(operations.registry(), new Handler.Sequence(
        new MetricsHandler(operations.scrape()),
        new HealthHandler(operations.health()),
        new NotFoundHandler()))));
    server.setStopTimeout(0);
  }

  public void start() throws IOException {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IOException("Cannot start the operations server on " + host + ":" + connector.getPort() + ": "
          + e.getMessage(), e);
    }
    log.info("Operations endpoints (/metrics, /healthz, /readyz) listening on {}:{}", host, port());
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("operations server did not stop cleanly", e);
    }
  }
}
