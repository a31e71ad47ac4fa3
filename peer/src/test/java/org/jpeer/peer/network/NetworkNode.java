package org.jpeer.peer.network;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.config.SyncSettings;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.PeerID;

/**
 * One peer's network layer for tests, without the rest of the peer: a real RocksDB ledger in a
 * temporary folder, a {@link PeerNetwork} and a real gRPC server on 127.0.0.1 (port 0 unless a
 * restart needs the port it had) serving its Chat. Records membership events.
 */
public final class NetworkNode implements AutoCloseable {
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  public final PeerLedger ledger;
  final Server server;
  public final List<String> events = new CopyOnWriteArrayList<>();
  private final boolean ownsLedger;
  private volatile PeerNetwork network;

  private NetworkNode(PeerLedger ledger, boolean ownsLedger, int port) throws IOException {
    this.ledger = ledger;
    this.ownsLedger = ownsLedger;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .addService(new PeerGrpc.PeerImplBase() {
          @Override
          public StreamObserver<Message> chat(StreamObserver<Message> responses) {
            PeerNetwork n = network;
            if (n == null) {
              responses.onError(Status.UNAVAILABLE.asRuntimeException());
              return new StreamObserver<>() {
                @Override
                public void onNext(Message value) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              };
            }
            return n.chat(responses);
          }
        })
        .build()
        .start();
  }

  /** Binds the server only; {@link #startNetwork} later (to let two nodes know each other's address first). */
  public static NetworkNode bind(PeerLedger ledger, boolean ownsLedger, int port) throws IOException {
    return new NetworkNode(ledger, ownsLedger, port);
  }

  public NetworkNode startNetwork(NetworkOptions options, ConsensusSink sink) {
    PeerNetwork n = new PeerNetwork(options, ledger);
    n.consensusSink(sink);
    n.addMembershipListener(new MembershipListener() {
      @Override
      public void peerConnected(PeerEndpoint peer) {
        events.add("+" + peer.getID().getName());
      }

      @Override
      public void peerDisconnected(PeerEndpoint peer) {
        events.add("-" + peer.getID().getName());
      }
    });
    network = n;
    n.start(PeerEndpoint.newBuilder()
        .setID(PeerID.newBuilder().setName(options.peerId()))
        .setAddress(address().toString())
        .setType(options.validator() ? PeerEndpoint.Type.VALIDATOR : PeerEndpoint.Type.NON_VALIDATOR)
        .build());
    return this;
  }

  public static PeerLedger openLedger(Path dir) {
    return Ledgers.open(dir, LedgerOptions.defaults().withBuckets(1009, 5).withVerifyChecksumsOnOpen(false));
  }

  /** Options with fast discovery for tests. */
  public static NetworkOptions options(String id, List<HostPort> rootNodes) {
    return new NetworkOptions(id, true, rootNodes, Duration.ofMillis(200), true, Duration.ofMillis(200), 100, 1000,
        SyncSettings.defaults(), MAX_MESSAGE_BYTES, Duration.ofSeconds(30));
  }

  public static NetworkNode start(Path dir, String id, List<HostPort> rootNodes, ConsensusSink sink) throws IOException {
    return start(openLedger(dir.resolve(id)), true, options(id, rootNodes), sink, 0);
  }

  public static NetworkNode start(PeerLedger ledger, boolean ownsLedger, NetworkOptions options, ConsensusSink sink,
      int port) throws IOException {
    return bind(ledger, ownsLedger, port).startNetwork(options, sink);
  }

  public PeerNetwork network() {
    return network;
  }

  public String id() {
    return network.self().getID().getName();
  }

  public HostPort address() {
    return new HostPort("127.0.0.1", ((InetSocketAddress) server.getListenSockets().get(0)).getPort());
  }

  public List<String> connectedIds() {
    return network.connectedPeers().stream().map(p -> p.getID().getName()).sorted().toList();
  }

  @Override
  public void close() throws InterruptedException {
    PeerNetwork n = network;
    if (n != null) {
      n.close();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    if (ownsLedger) {
      ledger.close();
    }
  }
}
