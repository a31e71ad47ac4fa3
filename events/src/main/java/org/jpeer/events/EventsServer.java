package org.jpeer.events;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event hub's own gRPC server ({@code peer.validator.events.address}), serving only
 * {@code protos.Events}, as the original does. Consumers send only small Register and Unregister
 * messages, hence the small inbound limit.
 */
public final class EventsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventsServer.class);
  static final int MAX_INBOUND_BYTES = 1024 * 1024;

  private final Server server;

  private EventsServer(Server server) {
    this.server = server;
  }

  /** Listens on {@code host:port} (0: any free port), plaintext. */
  public static EventsServer start(String host, int port, EventHub hub) throws IOException {
    return start(host, port, hub, InsecureServerCredentials.create());
  }

  /** Listens on {@code host:port} with {@code credentials} (TLS with the peer's {@code peer.tls.*}). */
  public static EventsServer start(String host, int port, EventHub hub, ServerCredentials credentials)
      throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .addService(new EventsService(hub).definition())
        .build();
    try {
      server.start();
    } catch (IOException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new IOException("cannot listen on " + host + ":" + port + " (peer.validator.events.address): "
          + cause.getMessage(), e);
    }
    EventsServer s = new EventsServer(server);
    log.info("Event hub listening on {}:{}", host, s.port());
    return s;
  }

  public int port() {
    for (SocketAddress a : server.getListenSockets()) {
      if (a instanceof InetSocketAddress inet) {
        return inet.getPort();
      }
    }
    return -1;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
