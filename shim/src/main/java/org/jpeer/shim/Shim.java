package org.jpeer.shim;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeSupportGrpc;

/**
 * Entry point of a chaincode process: connects to the peer, registers and serves the peer's
 * requests until the stream ends. A chaincode's {@code main} is one line:
 * {@code System.exit(Shim.start(new MyChaincode(), args));}
 */
public final class Shim {
  private Shim() {}

  /**
   * Runs {@code chaincode} until the peer closes the stream (or the connection is lost, e.g. the
   * peer died: the chaincode then ends too instead of lingering). Returns a process exit code: 0
   * when the peer ended the stream normally, 1 on a connection or protocol failure.
   */
  public static int start(Chaincode chaincode, String[] args) {
    ShimOptions options;
    try {
      options = ShimOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("chaincode: " + e.getMessage());
      return 2;
    }
    try {
      return run(chaincode, options) ? 0 : 1;
    } catch (IOException e) {
      System.err.println("chaincode " + options.chaincodeName() + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static final int MAX_INBOUND_BYTES = 100 * 1024 * 1024;

  /**
   * gRPC's Netty client asks every connection for TCP keepalive, which a Unix socket does not have:
   * Netty's bootstrap (its loggers are named after the concrete class, in this package) then warns
   * on every connection attempt, into every chaincode's log. Held here because java.util.logging
   * keeps only weak references to loggers.
   */
  private static final java.util.logging.Logger BOOTSTRAP_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

  /** Connects and serves; returns true when the peer ended the stream cleanly. */
  public static boolean run(Chaincode chaincode, ShimOptions options)
      throws IOException, InterruptedException {
    ManagedChannel channel = dial(options);
    try {
      ShimHandler handler = new ShimHandler(chaincode, options.chaincodeName());
      handler.connect(ChaincodeSupportGrpc.newStub(channel));
      return handler.awaitEnd();
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ManagedChannel dial(ShimOptions options) throws IOException, InterruptedException {
    if (options.peerAddress().startsWith("unix:")) {
      BOOTSTRAP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }
    ChannelCredentials credentials = options.tlsEnabled()
        ? TlsChannelCredentials.newBuilder().trustManager(new File(options.tlsRootCertFile())).build()
        : InsecureChannelCredentials.create();
    // the handler never blocks in its callbacks (chaincode functions run on its workers), so
    // take messages on the transport thread instead of handing each to another thread first
    // as much as the peer's own gRPC server takes: what the peer sends is bounded by its
    // peer.maxMessageSize (4 MiB by default, at most 100 MiB), and a message above the channel's limit
    // would break the stream for every transaction on it (gRPC's default here is 4 MiB)
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(options.peerAddress(), credentials)
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .directExecutor();
    if (options.tlsServerHostOverride() != null) {
      builder.overrideAuthority(options.tlsServerHostOverride());
    }
    ManagedChannel channel = builder.build();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.dialTimeoutMillis());
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || state == ConnectivityState.SHUTDOWN) {
        channel.shutdownNow();
        throw new IOException("cannot connect to the peer at " + options.peerAddress()
            + " within " + options.dialTimeoutMillis() + " ms (last state " + state + ")");
      }
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(left, TimeUnit.NANOSECONDS);
      state = channel.getState(true);
    }
    return channel;
  }
}
