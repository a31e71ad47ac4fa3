package org.jpeer.rest;

import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
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
  private final JettyServer server;

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

    server = new JettyServer("REST", options.host(), options.port(), options.maxThreads(), 60_000,
        new RequestMetrics(operations.registry(),
            new Handler.Sequence(
                new ChaincodeHandler(new ChaincodeRpc(devops, options.devMode()), options.maxRequestBytes()),
                new ChainHandler(ledger),
                new TransactionsHandler(ledger),
                new PeersHandler(peers),
                new EventStreamHandler(events),
                new RegistrarHandler(options.fileSystemPath(), options.enrollmentIdPattern(), options.maxRequestBytes(),
                    devops.security()),
                new MetricsHandler(operations.scrape()),
                new HealthHandler(operations.health()),
                new OpenApiHandler(),
                new ExplorerHandler(ledger),
                new NotFoundHandler())),
        options.tls());
  }

  /** Binds and starts serving; afterwards {@link #port()} is the bound port. */
  public void start() throws IOException {
    server.start();
    log.info("REST listening on {}:{}{}", options.host(), port(), options.tls().isPresent() ? " (HTTPS)" : "");
  }

  /** The bound port, or -1 before {@link #start()}. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
