package org.jpeer.peer.network;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.HelloMessage;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeersMessage;

/**
 * One {@code Peer/Chat} stream, dialled by this peer or accepted from another: the handshake state,
 * the outbound {@link Outbox}, inbound flow control ({@link InboundGate}) and the two lanes that
 * take work off gRPC's callback thread: CONSENSUS messages go to the consenter in stream order on
 * one lane (the consenter may block), SYNC_GET_* requests are served on another. Everything else
 * (handshake, discovery, replies to our own sync requests) is handled at once on the callback
 * thread and never blocks it.
 *
 * <p>States: created → (DISC_HELLO) → established, or closed at any point. Before DISC_HELLO only
 * DISC_HELLO is accepted; anything else, malformed payloads and unknown types are counted and
 * ignored, and the stream stays open (as the original), except that a stream without a DISC_HELLO
 * within the hello timeout is closed.
 */
final class Connection {

  enum Direction {
    DIALLED,
    ACCEPTED
  }

  /** What the handshake decided for this stream. */
  enum Registration {
    /** registered under its PeerID (possibly in place of a crossed duplicate) */
    REGISTERED,
    /** its PeerID is already connected by another stream: this one is closed */
    DUPLICATE,
    /** the other end is this very peer */
    SELF
  }

  /** Why an inbound message is ignored. */
  enum BadInput {
    /** the payload does not decode, or says nothing usable */
    MALFORMED,
    /** a type not expected in the stream's state, or unknown */
    UNEXPECTED,
    /** CONSENSUS from a stream that has not said who it is */
    CONSENSUS_BEFORE_HELLO
  }

  /** What a stream needs from the network around it. */
  interface Node {
    PeerEndpoint self();

    BlockchainInfo chainInfo();

    PeerAuthenticator authenticator();

    /**
     * Decides on a stream whose DISC_HELLO named {@code remote}; runs {@code beforeVisible} before
     * the stream becomes visible to broadcasts, when it is registered.
     */
    Registration register(Connection connection, PeerEndpoint remote, Runnable beforeVisible);

    /** The endpoints listed in a DISC_PEERS answer. */
    Collection<PeerEndpoint> registeredPeers();

    void discovered(Connection connection, PeersMessage peers);

    /** Hands a CONSENSUS message to the consenter; may block. */
    void consensus(Message msg, String senderPeerId);

    /** Serves a SYNC_GET_* request (on the serving lane; may block on the outbox). */
    void serve(Connection connection, Message request);

    /** Ignores a message, counting and logging it (rate-limited). */
    void badInput(Connection connection, String what, BadInput kind);

    /** A DISC_HELLO of {@code peerId} did not check out; logged rate-limited per claimed peer. */
    void refusedHello(Connection connection, String peerId, String reason);

    void closed(Connection connection, Status reason);
  }

  private static final AtomicLong SERIALS = new AtomicLong();

  final Direction direction;
  /** The address this peer dialled ({@code null} for an accepted stream). */
  final String dialledAddress;
  private final long serial = SERIALS.incrementAndGet();
  private final Node node;
  private final Object writeLock = new Object();
  private final Outbox outbox;
  private final InboundGate gate;
  private final SyncRequests requests;
  private final SerialLane consensusLane;
  private final SerialLane serveLane;
  private final ManagedChannel channel;
  private final AtomicBoolean closed = new AtomicBoolean();
  private CallStreamObserver<Message> stream; // guarded by writeLock
  private volatile PeerEndpoint remote;
  private volatile BlockchainInfo remoteInfo;
  private volatile Status closeReason;

  private Connection(Direction direction, String dialledAddress, ManagedChannel channel, Node node,
      NetworkOptions options, Executor pool, Counters counters) {
    this.direction = direction;
    this.dialledAddress = dialledAddress;
    this.channel = channel;
    this.node = node;
    this.outbox = new Outbox(options.bufferSize(), Math.max(options.sync().blocksChannelSize(), 16), pool, writeLock);
    Map<InboundGate.Kind, Integer> limits = Map.of(
        InboundGate.Kind.CONSENSUS, options.bufferSize(),
        InboundGate.Kind.SERVE, 4,
        InboundGate.Kind.BLOCKS, options.sync().blocksChannelSize(),
        InboundGate.Kind.DELTAS, options.sync().deltasChannelSize(),
        InboundGate.Kind.SNAPSHOT, options.sync().snapshotChannelSize());
    // a client call is started with one message requested (disableAutoRequestWithInitial(1))
    this.gate = new InboundGate(limits, direction == Direction.DIALLED ? 1 : 0, this::request);
    this.requests = new SyncRequests(gate, outbox, counters);
    this.consensusLane = new SerialLane("consensus lane of stream #" + serial, pool);
    this.serveLane = new SerialLane("sync lane of stream #" + serial, pool);
  }

  static Connection dialled(String address, ManagedChannel channel, Node node, NetworkOptions options,
      Executor pool, Counters counters) {
    return new Connection(Direction.DIALLED, address, channel, node, options, pool, counters);
  }

  static Connection accepted(Node node, NetworkOptions options, Executor pool, Counters counters) {
    return new Connection(Direction.ACCEPTED, null, null, node, options, pool, counters);
  }

  // ---------------------------------------------------------------- the two ends gRPC gives us

  /** The server side: takes over {@code out} and returns the observer gRPC delivers to. */
  StreamObserver<Message> acceptOn(ServerCallStreamObserver<Message> out) {
    out.disableAutoRequest();
    out.setOnReadyHandler(outbox::onReady);
    out.setOnCancelHandler(() -> ended(Status.CANCELLED.withDescription("the other peer cancelled the stream")));
    outbox.attach(out, this::writeFailed);
    synchronized (writeLock) {
      stream = out;
    }
    gate.poke();
    return new StreamObserver<>() {
      @Override
      public void onNext(Message msg) {
        onMessage(msg);
      }

      @Override
      public void onError(Throwable t) {
        ended(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended(Status.OK.withDescription("the other peer closed the stream"));
      }
    };
  }

  /** The client side: the observer to pass to {@code PeerStub.chat}. */
  ClientResponseObserver<Message, Message> dialObserver() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Message> out) {
        out.disableAutoRequestWithInitial(1);
        out.setOnReadyHandler(outbox::onReady);
        synchronized (writeLock) {
          stream = out;
        }
      }

      @Override
      public void onNext(Message msg) {
        onMessage(msg);
      }

      @Override
      public void onError(Throwable t) {
        ended(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended(Status.OK.withDescription("the other peer closed the stream"));
      }
    };
  }

  /**
   * The client call has started ({@code PeerStub.chat} returned): queued messages may be written.
   * Not in {@code beforeStart}, where writing would fail because the call is not started yet.
   */
  void dialStarted(ClientCallStreamObserver<Message> out) {
    outbox.attach(out, this::writeFailed);
  }

  private void request(int n) {
    synchronized (writeLock) {
      if (stream != null && !closed.get()) {
        try {
          stream.request(n);
        } catch (RuntimeException e) {
          // the call has ended; its close callback follows
        }
      }
    }
  }

  // ---------------------------------------------------------------- inbound

  private void onMessage(Message msg) {
    gate.arrived();
    try {
      dispatch(msg);
    } catch (InvalidProtocolBufferException e) {
      node.badInput(this, msg.getType() + " with a payload that does not decode (" + e.getMessage() + ")", BadInput.MALFORMED);
    } catch (RuntimeException e) {
      node.badInput(this, msg.getType() + " that could not be handled (" + e + ")", BadInput.MALFORMED);
    } finally {
      gate.poke();
    }
  }

  private void dispatch(Message msg) throws InvalidProtocolBufferException {
    PeerEndpoint from = remote;
    Message.Type type = msg.getType();
    if (type == Message.Type.DISC_HELLO) {
      onHello(msg);
      return;
    }
    if (from == null) {
      node.badInput(this, type + " before DISC_HELLO",
          type == Message.Type.CONSENSUS ? BadInput.CONSENSUS_BEFORE_HELLO : BadInput.UNEXPECTED);
      return;
    }
    switch (type) {
      case CONSENSUS -> {
        gate.hold(InboundGate.Kind.CONSENSUS);
        String sender = from.getID().getName();
        consensusLane.execute(() -> {
          try {
            node.consensus(msg, sender);
          } finally {
            gate.release(InboundGate.Kind.CONSENSUS, 1);
          }
        });
      }
      case DISC_GET_PEERS -> offer(Messages.peers(node.registeredPeers()));
      case DISC_PEERS -> node.discovered(this, PeersMessage.parseFrom(msg.getPayload()));
      case SYNC_GET_BLOCKS, SYNC_STATE_GET_DELTAS, SYNC_STATE_GET_SNAPSHOT -> {
        gate.hold(InboundGate.Kind.SERVE);
        serveLane.execute(() -> {
          try {
            node.serve(this, msg);
          } finally {
            gate.release(InboundGate.Kind.SERVE, 1);
          }
        });
      }
      case SYNC_BLOCKS, SYNC_STATE_DELTAS, SYNC_STATE_SNAPSHOT -> requests.reply(msg);
      // sent by noops validators to non-validators after each block; ignored, as the original does
      case SYNC_BLOCK_ADDED -> { }
      default -> node.badInput(this, "a message of unexpected type " + msg.getTypeValue() + " (" + type + ")", BadInput.UNEXPECTED);
    }
  }

  private void onHello(Message msg) throws InvalidProtocolBufferException {
    if (remote != null) {
      node.badInput(this, "a second DISC_HELLO", BadInput.UNEXPECTED);
      return;
    }
    HelloMessage hello = HelloMessage.parseFrom(msg.getPayload());
    PeerEndpoint ep = hello.getPeerEndpoint();
    if (ep.getID().getName().isEmpty()) {
      node.badInput(this, "a DISC_HELLO without a PeerID", BadInput.MALFORMED);
      return;
    }
    PeerAuthenticator authenticator = node.authenticator();
    if (!authenticator.enabled()) {
      register(hello, ep);
      return;
    }
    // checked off the transport's thread (it may fetch a certificate); the gate reads nothing more
    // from this stream until the hello is decided, so nothing that follows it is taken too early
    gate.hold(InboundGate.Kind.HELLO);
    serveLane.execute(() -> {
      try {
        String refusal = authenticator.refusal(ep, msg);
        if (refusal != null) {
          node.refusedHello(this, ep.getID().getName(), refusal);
          close(Status.PERMISSION_DENIED.withDescription("DISC_HELLO refused: " + refusal));
        } else if (!closed.get()) {
          register(hello, ep);
        }
      } finally {
        gate.release(InboundGate.Kind.HELLO, 1);
      }
    });
  }

  private void register(HelloMessage hello, PeerEndpoint ep) {
    Runnable beforeVisible = () -> {
      remoteInfo = hello.getBlockchainInfo();
      remote = ep;
      if (direction == Direction.ACCEPTED) {
        outbox.offer(Messages.hello(node.self(), node.chainInfo(), node.authenticator()));
      }
    };
    switch (node.register(this, ep, beforeVisible)) {
      case REGISTERED -> { }
      case DUPLICATE -> close(Status.ALREADY_EXISTS.withDescription("duplicate connection: peer "
          + ep.getID().getName() + " is already connected to " + node.self().getID().getName()
          + " by another stream"));
      case SELF -> {
        if (direction == Direction.ACCEPTED) {
          // answered, so that the dialling side learns that this address is its own; written
          // directly because the queue is dropped on close (nothing else was queued: unregistered)
          sendNow(Messages.hello(node.self(), node.chainInfo(), node.authenticator()));
        }
        close(Status.FAILED_PRECONDITION.withDescription("a peer cannot connect to itself ("
            + ep.getID().getName() + ")"));
      }
      default -> throw new IllegalStateException();
    }
  }

  // ---------------------------------------------------------------- outbound

  /** Queues a message without blocking; {@code false} when the stream's queue is full or it closed. */
  boolean offer(Message msg) {
    return outbox.offer(msg);
  }

  /** Queues a state-transfer reply, waiting up to {@code timeout} for room. */
  boolean putReply(Message msg, Duration timeout) throws InterruptedException {
    return outbox.put(msg, timeout);
  }

  private void sendNow(Message msg) {
    synchronized (writeLock) {
      try {
        stream.onNext(msg);
      } catch (RuntimeException e) {
        // already ended
      }
    }
  }

  /** Removes and returns the messages queued and not yet written (the stream is being replaced). */
  List<Message> takeQueued() {
    return outbox.takeQueued();
  }

  SyncRequests requests() {
    return requests;
  }

  // ---------------------------------------------------------------- closing

  /** Closes the stream from this side with {@code status} (sent to the other side when we serve it). */
  void close(Status status) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (writeLock) {
      try {
        if (stream instanceof ServerCallStreamObserver<Message> server) {
          if (status.isOk()) {
            server.onCompleted();
          } else {
            server.onError(status.asRuntimeException());
          }
        } else if (stream instanceof ClientCallStreamObserver<Message> client) {
          client.cancel(status.getDescription(), status.getCause());
        }
      } catch (RuntimeException e) {
        // already ended
      }
    }
    cleanUp(status);
  }

  /** The other side (or the transport) ended the stream. */
  private void ended(Status status) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (direction == Direction.ACCEPTED && status.isOk()) {
      synchronized (writeLock) {
        try {
          stream.onCompleted();
        } catch (RuntimeException e) {
          // already ended
        }
      }
    }
    cleanUp(status);
  }

  private void writeFailed() {
    close(Status.UNAVAILABLE.withDescription("writing to the stream failed"));
  }

  private void cleanUp(Status status) {
    closeReason = status;
    outbox.close();
    gate.close();
    requests.end();
    if (channel != null) {
      channel.shutdownNow();
    }
    node.closed(this, status);
  }

  boolean isClosed() {
    return closed.get();
  }

  // ---------------------------------------------------------------- what is known about it

  /** The other peer's endpoint from its DISC_HELLO; {@code null} before. */
  PeerEndpoint remote() {
    return remote;
  }

  /** The BlockchainInfo the other peer sent in its DISC_HELLO. */
  BlockchainInfo remoteInfo() {
    return remoteInfo;
  }

  Status closeReason() {
    return closeReason;
  }

  InboundGate gate() {
    return gate;
  }

  int queuedOutbound() {
    return outbox.queued();
  }

  @Override
  public String toString() {
    PeerEndpoint r = remote;
    String who = r != null ? Messages.describe(r) : dialledAddress != null ? dialledAddress : "an unidentified peer";
    return "stream #" + serial + (direction == Direction.DIALLED ? " to " : " from ") + who;
  }
}
