package org.jpeer.peer.node;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the chaincode service ({@code ChaincodeSupport.Register}) on a Unix domain socket,
 * {@code <peer.fileSystemPath>/chaincode.sock}, besides {@code peer.listenAddress} (jpeer key
 * {@code chaincode.java.unixsocket}). The messages are the same; what goes away is TCP's loopback
 * path in both processes, for every one of the several messages of each transaction.
 *
 * <p>Only Linux's epoll transport carries Unix sockets in gRPC-Java, and a socket's path must fit in
 * {@code sun_path}: where either is missing chaincode dials TCP as before ({@link #choose} says why
 * at INFO). The socket is owner-only (mode 600): chaincode the peer starts runs as its user.
 */
final class ChaincodeSocket implements NodeComponent {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeSocket.class);
  static final String FILE_NAME = "chaincode.sock";
  /** {@code sun_path} holds 108 bytes including the terminating NUL. */
  static final int MAX_PATH_BYTES = 107;
  private static final long GRACE_SECONDS = 2;

  private final Path path;
  private final BindableService service;
  private EventLoopGroup eventLoops;
  private Server server;
  /** Whether the socket file is ours to remove. */
  private boolean bound;

  ChaincodeSocket(Path path, BindableService service) {
    this.path = path;
    this.service = service;
  }

  /**
   * Where this peer serves chaincode on a Unix socket, or empty when it does not: the key is off, TLS
   * is on (chaincode then dials {@code peer.address} with TLS, as the original's does), the platform
   * has no epoll, or the path is too long for a socket address.
   */
  static Optional<Path> choose(JpeerConfig config, boolean tls) {
    if (!config.chaincode().javaUnixSocket()) {
      return Optional.empty();
    }
    if (tls) {
      log.info("Chaincode streams use TCP only: with peer.tls.enabled chaincode dials peer.address with TLS");
      return Optional.empty();
    }
    Path socket = config.peer().fileSystemPath().resolve(FILE_NAME).toAbsolutePath().normalize();
    if (!Epoll.isAvailable()) {
      log.info("Chaincode streams use TCP only: this platform has no epoll transport for Unix sockets ({})",
          Epoll.unavailabilityCause().toString());
      return Optional.empty();
    }
    int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      log.info("Chaincode streams use TCP only: the socket path {} has {} bytes, more than a Unix socket "
          + "address holds ({}); a shorter peer.fileSystemPath allows it", socket, bytes, MAX_PATH_BYTES);
      return Optional.empty();
    }
    return Optional.of(socket);
  }

  @Override
  public Map<String, HostPort> start() throws IOException {
    // The pid file check of PeerNode has made sure no live peer uses this folder: a socket here is
    // what a killed peer left behind, which Netty replaces (it unlinks the path before binding).
    // Anything else there is not ours to replace.
    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
        || Files.isSymbolicLink(path)) {
      throw new IOException("cannot serve chaincode on the Unix socket " + path + " (chaincode.java.unixsocket): "
          + "a file that is not a socket is in its place; move it, or set chaincode.java.unixsocket to false");
    }
    eventLoops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory("chaincode-socket", true), EpollIoHandler.newFactory());
    try {
      // the chaincode handler never blocks in its callbacks (see PeerNode.bind): no call executor
      server = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(eventLoops)
          .workerEventLoopGroup(eventLoops)
          .directExecutor()
          .maxInboundMessageSize(PeerNode.MAX_MESSAGE_BYTES)
          .addService(service)
          .build()
          .start();
      bound = true;
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      close();
      throw new IOException("cannot serve chaincode on the Unix socket " + path
          + " (chaincode.java.unixsocket): " + rootMessage(e), e);
    }
    log.info("Chaincode streams also served on {}", org.jpeer.chaincode.JavaOptions.target(path));
    return Map.of();
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    if (eventLoops != null) {
      eventLoops.shutdownGracefully(0, GRACE_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(2 * GRACE_SECONDS, TimeUnit.SECONDS);
      eventLoops = null;
    }
    if (bound) {
      bound = false;
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        log.warn("Cannot remove {}: {}", path, e.getMessage());
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  @Override
  public String toString() {
    return "chaincode socket " + path;
  }
}
