package org.jpeer.rest;

import java.io.IOException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty server with one connector, as the REST and operations servers both need it: no
 * version headers, JSON error pages, the common headers around the handler, an immediate stop,
 * and start failures as one {@link IOException} naming the address.
 */
final class JettyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JettyServer.class);

  private final String name;
  private final String host;
  private final int port;
  private final Server server;
  private final ServerConnector connector;

  /**
   * @param name what the server is, for its threads and messages ("REST", "operations")
   * @param handler wrapped in {@link CommonHeaders}
   */
  JettyServer(String name, String host, int port, int maxThreads, long idleTimeoutMillis, Handler handler) {
    this(name, host, port, maxThreads, idleTimeoutMillis, handler, Optional.empty());
  }

  /** @param tls HTTPS (HTTP/1.1 over TLS) with this identity instead of HTTP */
  JettyServer(String name, String host, int port, int maxThreads, long idleTimeoutMillis, Handler handler,
      Optional<SSLContext> tls) {
    this.name = name;
    this.host = host;
    this.port = port;
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
    threads.setName(name.toLowerCase(java.util.Locale.ROOT));
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    if (tls.isPresent()) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(tls.get());
      // clients may dial an address the certificate does not name (peer.tls.serverhostoverride):
      // the name check is theirs, as it is for the peer's gRPC server
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
          new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    }
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(idleTimeoutMillis);
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrorHandler());
    server.setHandler(new CommonHeaders(handler));
    server.setStopTimeout(0);
  }

  /** Binds and starts serving; afterwards {@link #port()} is the bound port. */
  void start() throws IOException {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IOException("Cannot start the " + name + " server on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The bound port, or -1 before {@link #start()}. */
  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("{} server did not stop cleanly", name, e);
    }
  }
}
