package org.jpeer.peer.network;

import org.jpeer.peer.logging.WarnLimiter;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jpeer.config.HostPort;
import org.jpeer.consensus.Network;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.peer.tls.Dialer;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.PeersMessage;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer-to-peer network of one peer: the {@code protos.Peer/Chat} streams it dials and accepts,
 * discovery, the consenter's {@link Network}, and both sides of state transfer.
 *
 * <h2>Streams</h2>
 * The dialling side sends DISC_HELLO{own PeerEndpoint, own BlockchainInfo} at once; the accepting
 * side answers with its own. A stream is then registered under the other peer's PeerID (see
 * {@link PeerRegistry} for duplicates; a stream to this peer itself is closed). Registered peers are
 * asked DISC_GET_PEERS right away and every {@code peer.discovery.period}; every endpoint in the
 * DISC_PEERS answers that is neither this peer nor connected is dialled. Every
 * {@code peer.discovery.touchPeriod} the root nodes and known addresses that are not connected are
 * re-dialled (at most {@code touchMaxNodes}, with back-off per address).
 *
 * <h2>Threading</h2>
 * gRPC's callbacks are never blocked: CONSENSUS messages are handed to the {@link ConsensusSink}
 * from one lane per stream (which may block), sync requests are served from another, and inbound
 * flow control stops reading a stream whose consumer is behind ({@link InboundGate}). Sending never
 * blocks either: every destination has a bounded queue ({@code peer.validator.consensus.buffersize})
 * drained as gRPC's flow control allows; a message for a full queue is dropped and counted.
 *
 * <h2>Life cycle</h2>
 * Construct, set the sink, serve {@link #chat} on the peer's gRPC server, then {@link #start} with
 * this peer's endpoint once the server is bound. {@link #close} closes every stream and stops the
 * threads.
 */
public final class PeerNetwork implements Network, SyncClient, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerNetwork.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MAX_HELLO_WARNERS = 256;

  private final NetworkOptions options;
  private final PeerLedger ledger;
  private final Counters counters = new Counters();
  private final ExecutorService io;
  private final ExecutorService events;
  private final ScheduledThreadPoolExecutor timer;
  private final PeerRegistry registry;
  private final Discovery discovery;
  private final SyncServer syncServer;
  private final Node node = new Node();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<String> dialling = ConcurrentHashMap.newKeySet();
  private final Set<String> selfAddresses = ConcurrentHashMap.newKeySet();
  private final WarnLimiter badInputWarnings = new WarnLimiter(log, WARN_INTERVAL_NANOS);
  private final WarnLimiter dropWarnings = new WarnLimiter(log, WARN_INTERVAL_NANOS);
  private final Map<String, WarnLimiter> helloWarnings = new ConcurrentHashMap<>();
  private volatile ConsensusSink sink = ConsensusSink.NONE;
  private volatile PeerEndpoint self;
  private volatile boolean closed;

  private final Dialer dialer;
  private final PeerAuthenticator authenticator;

  public PeerNetwork(NetworkOptions options, PeerLedger ledger) {
    this(options, ledger, Dialer.plaintext());
  }

  /** Dials other peers with {@code dialer} (TLS with {@code peer.tls.enabled}). */
  public PeerNetwork(NetworkOptions options, PeerLedger ledger, Dialer dialer) {
    this(options, ledger, dialer, PeerAuthenticator.NONE);
  }

  /** @param authenticator signs this peer's DISC_HELLO and checks the others' ({@code security.enabled}) */
  public PeerNetwork(NetworkOptions options, PeerLedger ledger, Dialer dialer, PeerAuthenticator authenticator) {
    this.authenticator = authenticator;
    this.dialer = dialer;
    this.options = options;
    this.ledger = ledger;
    this.io = Executors.newCachedThreadPool(threads("peer-network"));
    this.events = Executors.newSingleThreadExecutor(threads("peer-network-events"));
    this.timer = new ScheduledThreadPoolExecutor(1, threads("peer-network-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.registry = new PeerRegistry(options.peerId(), events);
    this.discovery = new Discovery(ledger, options.persist(), options.touchPeriod());
    this.syncServer = new SyncServer(ledger, options.sync().snapshotWriteTimeout());
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- wiring and life cycle

  /** Where inbound CONSENSUS messages go ({@code consenter::recvMsg}); set before {@link #start}. */
  public void consensusSink(ConsensusSink sink) {
    this.sink = sink;
  }

  /** Told about every peer that connects or disconnects, from one thread, in order. */
  public void addMembershipListener(MembershipListener listener) {
    registry.addListener(listener);
  }

  /**
   * The server side of {@code protos.Peer/Chat}: serve it from the peer's {@code Peer} service.
   * Streams that arrive before {@link #start} or after {@link #close} are refused with UNAVAILABLE.
   */
  public StreamObserver<Message> chat(StreamObserver<Message> responses) {
    if (self == null || closed) {
      responses.onError(Status.UNAVAILABLE.withDescription("the peer network is not running").asRuntimeException());
      return new StreamObserver<>() {
        @Override
        public void onNext(Message value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
    Connection c = Connection.accepted(node, options, io, counters);
    connections.add(c);
    StreamObserver<Message> in = c.acceptOn((ServerCallStreamObserver<Message>) responses);
    awaitHello(c);
    if (closed) {
      c.close(Status.UNAVAILABLE.withDescription("the peer is shutting down"));
    }
    return in;
  }

  /**
   * Starts the network as {@code self} (its address is what others dial: {@code peer.address} or
   * the auto-detected one): dials the root nodes and the persisted addresses and starts the
   * discovery timers.
   */
  public synchronized void start(PeerEndpoint self) {
    if (this.self != null || closed) {
      throw new IllegalStateException("the peer network was already started or closed");
    }
    if (!self.getID().getName().equals(options.peerId())) {
      throw new IllegalArgumentException("self endpoint " + self.getID().getName() + " is not peer " + options.peerId());
    }
    this.self = self;
    selfAddresses.add(self.getAddress());
    Set<String> first = new LinkedHashSet<>();
    for (HostPort root : options.rootNodes()) {
      first.add(root.toString());
    }
    List<String> persisted = discovery.load();
    first.addAll(persisted);
    log.info("Peer network of {} at {} ({}): root nodes {}, {} persisted addresses", self.getID().getName(),
        self.getAddress(), self.getType(), options.rootNodes(), persisted.size());
    first.forEach(this::dial);
    long period = options.discoveryPeriod().toNanos();
    timer.scheduleWithFixedDelay(guarded("discovery", this::askForPeers), period, period, TimeUnit.NANOSECONDS);
    long touch = options.touchPeriod().toNanos();
    timer.scheduleWithFixedDelay(guarded("touch", this::touch), touch, touch, TimeUnit.NANOSECONDS);
  }

  /** A periodic task that survives its own failure (a scheduled task that throws is never run again). */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("Peer network {} round failed: {}", what, e.toString(), e);
      }
    };
  }

  /** Closes every stream, stops dialling and stops the network's threads. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    timer.shutdownNow();
    for (Connection c : List.copyOf(connections)) {
      c.close(Status.UNAVAILABLE.withDescription("peer " + options.peerId() + " is shutting down"));
    }
    events.shutdown();
    io.shutdownNow();
    try {
      if (!events.awaitTermination(5, TimeUnit.SECONDS) || !io.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("Peer network threads still running 5 s after close (a consenter call that does not return?)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- the consenter's Network

  /** Queues {@code msg} for every connected VALIDATOR peer and returns at once. */
  @Override
  public void broadcast(Message msg) {
    for (Connection c : registry.all()) {
      if (c.remote().getType() == PeerEndpoint.Type.VALIDATOR) {
        send(c, msg);
      }
    }
  }

  /**
   * Queues {@code msg} for one connected peer and returns at once; dropped (and counted) when that
   * peer's queue is full.
   *
   * @throws IllegalArgumentException when no peer of that PeerID is connected (as {@link Network} says)
   */
  @Override
  public void unicast(Message msg, String receiverPeerId) {
    Connection c = registry.get(receiverPeerId)
        .orElseThrow(() -> new IllegalArgumentException("no peer " + receiverPeerId + " is connected"));
    send(c, msg);
  }

  private void send(Connection c, Message msg) {
    if (!c.offer(msg)) {
      counters.outboundDropped.increment();
      dropWarnings.warn("Dropping a " + msg.getType() + " message to " + c + ": its outbound queue of "
          + options.bufferSize() + " messages is full (the peer reads too slowly)");
    }
  }

  // ---------------------------------------------------------------- membership

  /** This peer's endpoint; {@code null} before {@link #start}. */
  public PeerEndpoint self() {
    return self;
  }

  /** The endpoints of the connected peers (registered streams), this peer not included. */
  public List<PeerEndpoint> connectedPeers() {
    return registry.endpoints();
  }

  /** This peer first, then the connected peers: what {@code GET /network/peers} lists. */
  public List<PeerEndpoint> peersWithSelf() {
    List<PeerEndpoint> out = new ArrayList<>();
    PeerEndpoint me = self;
    if (me != null) {
      out.add(me);
    }
    out.addAll(connectedPeers());
    return out;
  }

  @Override
  public List<String> connectedValidators() {
    List<String> out = new ArrayList<>();
    for (Connection c : registry.all()) {
      if (c.remote().getType() == PeerEndpoint.Type.VALIDATOR) {
        out.add(c.remote().getID().getName());
      }
    }
    return out;
  }

  /** The BlockchainInfo a connected peer sent in its DISC_HELLO. */
  public Optional<BlockchainInfo> helloInfo(String peerId) {
    return registry.get(peerId).map(Connection::remoteInfo);
  }

  public NetworkStats stats() {
    return counters.snapshot();
  }

  /** Streams open now, registered or not (for tests and diagnostics). */
  int openStreams() {
    return connections.size();
  }

  /** The registered stream of a peer (for tests and diagnostics). */
  Optional<Connection> connection(String peerId) {
    return registry.get(peerId);
  }

  // ---------------------------------------------------------------- state transfer, requesting side

  @Override
  public Optional<Replies<SyncBlocks>> requestBlocks(String peerId, long start, long end) {
    return registry.get(peerId).flatMap(c -> c.requests().blocks(start, end));
  }

  @Override
  public Optional<Replies<SyncStateDeltas>> requestDeltas(String peerId, long start, long end) {
    return registry.get(peerId).flatMap(c -> c.requests().deltas(start, end));
  }

  @Override
  public Optional<Replies<SyncStateSnapshot>> requestSnapshot(String peerId) {
    return registry.get(peerId).flatMap(c -> c.requests().snapshot());
  }

  // ---------------------------------------------------------------- dialling and discovery

  private void dial(String address) {
    if (closed || selfAddresses.contains(address) || connectedTo(address)
        || !discovery.mayDial(address, System.nanoTime()) || !dialling.add(address)) {
      return;
    }
    HostPort target;
    try {
      target = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      dialling.remove(address);
      log.debug("Not dialling {}: not a host:port address ({})", address, e.getMessage());
      return;
    }
    ManagedChannel channel = dialer.to(target)
        .maxInboundMessageSize(options.maxMessageBytes())
        .build();
    Connection c = Connection.dialled(address, channel, node, options, io, counters);
    connections.add(c);
    c.offer(Messages.hello(self, ledger.blockchainInfo(), authenticator));
    log.debug("Dialling {}", address);
    try {
      StreamObserver<Message> out = PeerGrpc.newStub(channel).chat(c.dialObserver());
      c.dialStarted((ClientCallStreamObserver<Message>) out);
    } catch (RuntimeException e) {
      c.close(Status.UNAVAILABLE.withDescription("cannot dial " + address + ": " + e.getMessage()));
      return;
    }
    awaitHello(c);
    if (closed) {
      c.close(Status.UNAVAILABLE.withDescription("the peer is shutting down"));
    }
  }

  private boolean connectedTo(String address) {
    for (Connection c : registry.all()) {
      if (address.equals(c.remote().getAddress()) || address.equals(c.dialledAddress)) {
        return true;
      }
    }
    return false;
  }

  private void awaitHello(Connection c) {
    try {
      timer.schedule(() -> {
        if (c.remote() == null) {
          c.close(Status.DEADLINE_EXCEEDED.withDescription("no DISC_HELLO within " + options.helloTimeout()));
        }
      }, options.helloTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void askForPeers() {
    for (Connection c : registry.all()) {
      c.offer(Messages.getPeers());
    }
  }

  /** Re-dials root nodes and known addresses that are not connected (the original's touch). */
  private void touch() {
    Set<String> candidates = new LinkedHashSet<>();
    for (HostPort root : options.rootNodes()) {
      candidates.add(root.toString());
    }
    candidates.addAll(discovery.known());
    long now = System.nanoTime();
    int dialled = 0;
    for (String address : candidates) {
      if (dialled >= options.touchMaxNodes()) {
        break;
      }
      if (!selfAddresses.contains(address) && !connectedTo(address) && !dialling.contains(address)
          && discovery.mayDial(address, now)) {
        dialled++;
        dial(address);
      }
    }
    if (dialled > 0) {
      log.debug("Touch: re-dialled {} addresses", dialled);
    }
  }

  /** The network as its streams see it. */
  private final class Node implements Connection.Node {
    @Override
    public PeerEndpoint self() {
      return self;
    }

    @Override
    public BlockchainInfo chainInfo() {
      return ledger.blockchainInfo();
    }

    @Override
    public PeerAuthenticator authenticator() {
      return authenticator;
    }

    @Override
    public Connection.Registration register(Connection c, PeerEndpoint remote, Runnable beforeVisible) {
      String remoteId = remote.getID().getName();
      if (c.direction == Connection.Direction.ACCEPTED && dialling.contains(remote.getAddress())
          && options.peerId().compareTo(remoteId) < 0 && registry.get(remoteId).isEmpty()) {
        // We are dialling this peer right now and our dial wins the tie-break (see PeerRegistry):
        // refuse its stream before either side uses it, rather than register it and replace it.
        counters.duplicatesRefused.increment();
        log.debug("Refusing {}: this peer is dialling {} itself and keeps its own stream", c, remoteId);
        return Connection.Registration.DUPLICATE;
      }
      PeerRegistry.Outcome outcome = registry.register(c, remote, beforeVisible);
      switch (outcome.registration()) {
        case REGISTERED -> {
          if (c.dialledAddress != null) {
            dialling.remove(c.dialledAddress);
            discovery.reachable(c.dialledAddress);
          }
          if (!remote.getAddress().isEmpty()) {
            discovery.learnt(remote.getAddress());
          }
          if (outcome.replaced() != null) {
            log.debug("{} replaces {} (both peers keep the stream dialled by the smaller PeerID)", c,
                outcome.replaced());
            // what was queued for the old stream goes out on the new one, in order
            for (Message m : outcome.replaced().takeQueued()) {
              send(c, m);
            }
            outcome.replaced().close(Status.ALREADY_EXISTS.withDescription("duplicate connection: replaced by the"
                + " stream dialled by the peer whose PeerID sorts first"));
          } else {
            log.info("Connected to {} ({}, {})", Messages.describe(remote), remote.getType(),
                c.direction == Connection.Direction.DIALLED ? "dialled" : "accepted");
          }
          c.offer(Messages.getPeers());
        }
        case DUPLICATE -> {
          counters.duplicatesRefused.increment();
          log.debug("Refusing {}: peer {} is already connected", c, remote.getID().getName());
        }
        case SELF -> {
          if (c.dialledAddress != null) {
            selfAddresses.add(c.dialledAddress);
          }
          log.debug("Closing {}: it leads to this peer itself", c);
        }
        default -> throw new IllegalStateException();
      }
      return outcome.registration();
    }

    @Override
    public Collection<PeerEndpoint> registeredPeers() {
      return registry.endpoints();
    }

    @Override
    public void discovered(Connection c, PeersMessage peers) {
      for (PeerEndpoint ep : peers.getPeersList()) {
        String id = ep.getID().getName();
        if (id.isEmpty() || id.equals(options.peerId()) || registry.get(id).isPresent() || ep.getAddress().isEmpty()) {
          continue;
        }
        dial(ep.getAddress());
      }
    }

    @Override
    public void consensus(Message msg, String senderPeerId) {
      try {
        sink.recvMsg(msg, senderPeerId);
      } catch (RuntimeException e) {
        log.warn("The consenter failed on a CONSENSUS message from {}: {}", senderPeerId, e.toString(), e);
      }
    }

    @Override
    public void serve(Connection c, Message request) {
      try {
        syncServer.serve(c, request);
      } catch (InvalidProtocolBufferException e) {
        badInput(c, request.getType() + " with a payload that does not decode (" + e.getMessage() + ")", Connection.BadInput.MALFORMED);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Serving {} on {} failed: {}", request.getType(), c, e.toString());
        }
      }
    }

    @Override
    public void badInput(Connection c, String what, Connection.BadInput kind) {
      switch (kind) {
        case MALFORMED -> counters.malformed.increment();
        case UNEXPECTED -> counters.unexpected.increment();
        case CONSENSUS_BEFORE_HELLO -> counters.consensusBeforeHello.increment();
        default -> throw new IllegalStateException();
      }
      if (kind == Connection.BadInput.MALFORMED) {
        badInputWarnings.warn("Ignoring " + what + " on " + c);
      } else {
        log.debug("Ignoring {} on {}", what, c);
      }
    }

    @Override
    public void refusedHello(Connection c, String peerId, String reason) {
      counters.malformed.increment(); // counted with what does not decode
      // one line per interval for each peer that is refused, so that one retrying peer hides no other
      WarnLimiter limiter = helloWarnings.size() < MAX_HELLO_WARNERS
          ? helloWarnings.computeIfAbsent(peerId, id -> new WarnLimiter(log, WARN_INTERVAL_NANOS))
          : helloWarnings.getOrDefault(peerId, badInputWarnings);
      limiter.warn("Refused the DISC_HELLO of " + peerId + " on " + c + ": " + reason);
    }

    @Override
    public void closed(Connection c, Status reason) {
      connections.remove(c);
      String why = reason.getCode() + (reason.getDescription() == null ? "" : ": " + reason.getDescription());
      if (registry.remove(c)) {
        if (!closed) {
          log.info("Disconnected from {} ({})", Messages.describe(c.remote()), why);
        }
      } else if (c.dialledAddress != null && c.remote() == null && reason.getCode() == Status.Code.ALREADY_EXISTS) {
        // The other side keeps another stream with us (crossed dials, or this address is another
        // name of a peer already connected): not worth a line, but not worth dialling at once again.
        dialling.remove(c.dialledAddress);
        discovery.failed(c.dialledAddress, System.nanoTime());
        log.debug("{} closed by the other peer, which keeps another stream with this one ({})", c, why);
      } else if (c.dialledAddress != null && c.remote() == null) {
        dialling.remove(c.dialledAddress);
        int failures = discovery.failed(c.dialledAddress, System.nanoTime());
        if (failures == 1 && !closed) {
          log.info("Cannot connect to a peer at {} ({}); retrying with back-off", c.dialledAddress, why);
        } else {
          log.debug("Cannot connect to {} ({}), {} failures in a row", c.dialledAddress, why, failures);
        }
      } else {
        if (c.dialledAddress != null) {
          dialling.remove(c.dialledAddress);
        }
        log.debug("{} closed ({})", c, why);
      }
    }
  }
}
