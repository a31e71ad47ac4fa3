package org.jpeer.peer.node;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jpeer.config.ChaincodeRuntimeKind;
import org.jpeer.config.HostPort;
import org.jpeer.peer.logging.GrpcLogGuard;
import org.jpeer.config.JpeerConfig;
import org.jpeer.config.PeerSettings;
import org.jpeer.peer.tls.Dialer;
import org.jpeer.peer.tls.PeerTls;
import org.jpeer.protos.ChaincodeSupportGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running peer: one gRPC server on {@code peer.listenAddress} with the services of
 * {@link NodeComposition}, plus its components. {@link #start} returns once everything listens;
 * {@link #close} (also reached through {@link #requestStop()}, {@code Admin.StopServer} and the
 * JVM's shutdown on SIGTERM/SIGINT) stops it exactly once.
 */
public final class PeerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerNode.class);
  /** Chaincode packages travel in deploy requests; gRPC's 4 MiB default is too small for them. */
  static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
  private static final long GRACE_SECONDS = 2;

  private final Server server;
  private final List<NodeComponent> components;
  private final RunFiles runFiles;
  /** Set once all components have started; read by other threads. */
  private volatile Map<String, HostPort> addresses = Map.of();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object closeLock = new Object();
  private boolean closed;

  private PeerNode(Server server, List<NodeComponent> components, RunFiles runFiles) {
    this.server = server;
    this.components = components;
    this.runFiles = runFiles;
  }

  /**
   * Starts a peer: prepares {@code peer.fileSystemPath}, composes the parts, binds the gRPC server,
   * starts the components and records the bound addresses.
   *
   * @throws PeerStartException with a one-line reason; nothing is left running
   */
  public static PeerNode start(JpeerConfig config) throws PeerStartException {
    return start(config, NodeComposition::compose);
  }

  /** How a peer's parts are made; {@link NodeComposition#compose} in production. */
  @FunctionalInterface
  interface Composer {
    NodeParts compose(NodeContext context) throws Exception;
  }

  static PeerNode start(JpeerConfig config, Composer composer) throws PeerStartException {
    PeerSettings peer = config.peer();
    Optional<PeerTls> tls;
    Dialer dialer;
    try {
      tls = config.tls().isPresent() ? Optional.of(PeerTls.server(config.tls().get())) : Optional.empty();
      dialer = Dialer.of(config.tls());
    } catch (PeerTls.TlsException e) {
      throw new PeerStartException(e.getMessage() + " (peer.tls.enabled is true)", e);
    }
    if (tls.isPresent() && config.chaincode().runtime() == ChaincodeRuntimeKind.DOCKER) {
      throw new PeerStartException("peer.tls.enabled with chaincode.runtime docker is not supported: Java chaincode "
          + "containers hold no copy of the roots to trust when they dial the peer; use the process runtime or "
          + "turn TLS off");
    }
    log.info(
        "Starting peer with ID={}, network ID={}, address={}, rootnodes={}, validator={}, consensus={}",
        peer.id(),
        peer.networkId(),
        peer.address(),
        peer.discoveryRootNode(),
        peer.validatorEnabled(),
        peer.consensusPlugin().name().toLowerCase(Locale.ROOT));
    JitWorkaround.apply();
    RunFiles runFiles = prepareFileSystem(peer.fileSystemPath());

    // a stop may be requested (Admin.StopServer) before start() has returned the node
    AtomicReference<PeerNode> self = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    NodeContext context =
        new NodeContext(
            config,
            () -> {
              stopRequested.set(true);
              PeerNode node = self.get();
              if (node != null) {
                node.requestStop();
              }
            },
            tls,
            dialer);
    NodeParts parts;
    try {
      parts = composer.compose(context);
    } catch (Exception e) {
      throw new PeerStartException("cannot start the peer: " + describe(e), e);
    }

    GrpcLogGuard.install();
    Server server = bind(peer.listenAddress(), parts, tls);
    HostPort grpc = boundAddress(server, peer.listenAddress());
    context.bound(grpc);
    log.info("gRPC server listening on {} (peer.listenAddress {}){}", grpc, peer.listenAddress(),
        tls.isPresent() ? " with TLS" : "");

    Map<String, HostPort> addresses = new LinkedHashMap<>();
    addresses.put(RunFiles.GRPC, grpc);
    PeerNode node = new PeerNode(server, parts.components(), runFiles);
    try {
      for (NodeComponent component : parts.components()) {
        addresses.putAll(component.start());
      }
      runFiles.writePid(ProcessHandle.current().pid());
      runFiles.writeAddresses(addresses);
      node.addresses = Collections.unmodifiableMap(addresses);
    } catch (Exception e) {
      node.close();
      throw new PeerStartException("cannot start the peer: " + describe(e), e);
    }
    log.info("Peer {} started; listening at {} (recorded in {})", peer.id(), addresses, runFiles.addressesFile());
    self.set(node);
    if (stopRequested.get()) {
      node.requestStop();
    }
    return node;
  }

  private static RunFiles prepareFileSystem(Path dir) throws PeerStartException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PeerStartException("cannot create peer.fileSystemPath " + dir + ": " + describe(e), e);
    }
    if (!Files.isWritable(dir)) {
      throw new PeerStartException("peer.fileSystemPath " + dir + " is not writable");
    }
    RunFiles runFiles = new RunFiles(dir);
    try {
      OptionalLong pid = runFiles.readPid();
      // a pid file left by a crashed peer may name a reused pid: only a live jpeer peer counts
      if (pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid() && RunFiles.isPeerProcess(pid.getAsLong())) {
        throw new PeerStartException(
            "a peer (pid " + pid.getAsLong() + ") is already running with peer.fileSystemPath " + dir);
      }
    } catch (IOException e) {
      // an unreadable pid file is stale by definition; it is overwritten below
      log.debug("Ignoring unreadable pid file: {}", e.getMessage());
    }
    return runFiles;
  }

  private static Server bind(HostPort listen, NodeParts parts, Optional<PeerTls> tls) throws PeerStartException {
    ServerCredentials credentials = tls.map(PeerTls::serverCredentials).orElseGet(InsecureServerCredentials::create);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()), credentials)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            // Chaincode streams carry several short messages per transaction and their handler
            // never blocks (point reads and writes are memory deltas plus at most one RocksDB get;
            // range scans and chaincode-to-chaincode calls go to its background pool): run their
            // callbacks on the transport thread instead of handing each message to another thread.
            .callExecutor(new ServerCallExecutorSupplier() {
              @Override
              public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
                return ChaincodeSupportGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
                    ? MoreExecutors.directExecutor()
                    : null;
              }
            });
    for (BindableService service : parts.grpcServices()) {
      builder.addService(service);
    }
    Server server = builder.build();
    try {
      return server.start();
    } catch (IOException e) {
      List<NodeComponent> reversed = new ArrayList<>(parts.components());
      Collections.reverse(reversed);
      closeAll(reversed);
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof BindException)) {
        cause = cause.getCause();
      }
      throw new PeerStartException(
          "cannot listen on " + listen + " (peer.listenAddress): " + cause.getMessage(), e);
    }
  }

  private static HostPort boundAddress(Server server, HostPort configured) {
    for (SocketAddress a : server.getListenSockets()) {
      if (a instanceof InetSocketAddress inet) {
        return configured.withPort(inet.getPort());
      }
    }
    return configured;
  }

  /** The bound addresses by name: {@code grpc} and those of the components (e.g. {@code rest}). */
  public Map<String, HostPort> addresses() {
    return addresses;
  }

  /** Stops the peer on another thread and returns at once (safe to call from a gRPC call). */
  public void requestStop() {
    Thread stopper = new Thread(this::close, "peer-stop");
    stopper.start();
  }

  /** Blocks until the peer has stopped. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops the gRPC server from taking new calls, closes the components in reverse order, then gives
   * in-flight calls {@value #GRACE_SECONDS} s to finish and removes the run files. Idempotent; a
   * second caller waits for the first to finish.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      log.info("Stopping peer");
      server.shutdown();
      // Components close while the server drains: the consenter must still reach the chaincode
      // streams (served by this server) to execute what it accepted before stopping.
      List<NodeComponent> reversed = new ArrayList<>(components);
      Collections.reverse(reversed);
      closeAll(reversed);
      try {
        if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
      try {
        runFiles.remove();
      } catch (IOException e) {
        log.warn("Cannot remove {}: {}", runFiles.addressesFile(), e.getMessage());
      }
      log.info("Peer stopped");
      stopped.countDown();
    }
  }

  private static void closeAll(List<NodeComponent> components) {
    for (NodeComponent c : components) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Error while closing {}: {}", c, describe(e));
      }
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return text.replaceAll("\\s*\\R\\s*", " ");
  }
}
