package org.jpeer.rest;

import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jpeer.devops.Devops;
import org.jpeer.events.EventHub;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.PeerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's REST server (Jetty 12 core handlers, no servlets): the original's routes, answers and
 * headers. Reads go to the {@link Ledger}, chaincode requests to {@link Devops}.
 */
public final class RestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestServer.class);

  private final RestOptions options;
  private final Server server;
  private final ServerConnector connector;

  /**
   * @param peers the peers this peer knows, itself included, for {@code GET /network/peers};
   *     called on every such request
   */
  public RestServer(RestOptions options, Devops devops, Ledger ledger, Supplier<? extends Collection<PeerEndpoint>> peers) {
    this(options, devops, ledger, peers, null);
  }

  /** @param events the event hub for {@code GET /events}, or {@code null} (a non-validating peer has none) */
  public RestServer(RestOptions options, Devops devops, Ledger ledger, Supplier<? extends Collection<PeerEndpoint>> peers,
      EventHub events) {
    this(options, devops, ledger, peers, events, Operations.none());
  }

  /** @param operations request metrics, {@code /metrics} and the health checks */
  public RestServer(RestOptions options, Devops devops, Ledger ledger, Supplier<? extends Collection<PeerEndpoint>> peers,
      EventHub events, Operations operations) {
    Objects.requireNonNull(operations, "operations");
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(devops, "devops");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(peers, "peers");

    QueuedThreadPool threads = new QueuedThreadPool(options.maxThreads(), Math.min(8, options.maxThreads()));
    threads.setName("rest");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(60_000);
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrorHandler());
    server.setHandler(
        new CommonHeaders(new RequestMetrics(operations.registry(),
            new Handler.Sequence(
                new ChaincodeHandler(new ChaincodeRpc(devops, options.devMode()), options.maxRequestBytes()),
                new ChainHandler(ledger),
                new TransactionsHandler(ledger),
                new PeersHandler(peers),
                new EventStreamHandler(events),
                new RegistrarHandler(options.fileSystemPath(), options.enrollmentIdPattern(), options.maxRequestBytes()),
                new MetricsHandler(operations.scrape()),
                new HealthHandler(operations.health()),
                new OpenApiHandler(),
                new ExplorerHandler(ledger),
                new NotFoundHandler()))));
    server.setStopTimeout(0);
  }

  /** Binds and starts serving; afterwards {@link #port()} is the bound port. */
  public void start() throws IOException {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IOException("Cannot start the REST server on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    log.info("REST listening on {}:{}", options.host(), port());
  }

  /** The bound port, or -1 before {@link #start()}. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("REST server did not stop cleanly", e);
    }
  }
}
