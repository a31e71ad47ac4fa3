package org.jpeer.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.ChaincodeSupportGrpc;

/**
 * The chaincode side of the {@code ChaincodeSupport.Register} stream: Fabric v0.6's shim state
 * machine (created, established, init, ready, transaction). Messages from the peer are taken in
 * arrival order on the gRPC transport thread, which must therefore never block here; chaincode
 * functions run on worker threads and their answer is applied to the state machine before it is
 * sent, as the original does.
 *
 * <p>One deliberate difference from the Go shim: an ERROR that answers a pending state request is
 * handed to that request (the chaincode sees an exception) without moving the state machine. The
 * Go shim moves {@code transaction → ready} there and later kills itself when the function
 * returns; the peer-side behaviour and everything else on the wire are unchanged.
 *
 * <p>A second one: state writes are sent without waiting for their RESPONSE ({@link #post}); the
 * answers are matched to requests per txid in the order they were sent.
 */
final class ShimHandler {

  enum State { CREATED, ESTABLISHED, INIT, READY, TRANSACTION }

  private static final Map<State, Map<Type, State>> TRANSITIONS = new EnumMap<>(State.class);

  static {
    for (State s : State.values()) {
      TRANSITIONS.put(s, new EnumMap<>(Type.class));
    }
    TRANSITIONS.get(State.CREATED).put(Type.REGISTERED, State.ESTABLISHED);
    TRANSITIONS.get(State.ESTABLISHED).put(Type.INIT, State.INIT);
    TRANSITIONS.get(State.ESTABLISHED).put(Type.READY, State.READY);
    TRANSITIONS.get(State.INIT).put(Type.ERROR, State.ESTABLISHED);
    TRANSITIONS.get(State.INIT).put(Type.RESPONSE, State.INIT);
    TRANSITIONS.get(State.INIT).put(Type.COMPLETED, State.READY);
    TRANSITIONS.get(State.READY).put(Type.TRANSACTION, State.TRANSACTION);
    TRANSITIONS.get(State.READY).put(Type.QUERY, State.READY);
    TRANSITIONS.get(State.READY).put(Type.RESPONSE, State.READY);
    TRANSITIONS.get(State.TRANSACTION).put(Type.COMPLETED, State.READY);
    TRANSITIONS.get(State.TRANSACTION).put(Type.ERROR, State.READY);
    TRANSITIONS.get(State.TRANSACTION).put(Type.RESPONSE, State.TRANSACTION);
    TRANSITIONS.get(State.TRANSACTION).put(Type.QUERY, State.TRANSACTION);
  }

  private final Chaincode chaincode;
  private final String name;
  private final Object lock = new Object();
  /**
   * The answers each txid still expects, in the order its requests were sent: the peer answers the
   * requests of one txid in order, and state writes do not wait for theirs (see {@link #post}).
   * A txid's queue is only touched inside {@code compute}, which is atomic per key.
   */
  private final Map<String, ArrayDeque<CompletableFuture<ChaincodeMessage>>> pending = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "chaincode-worker");
    t.setDaemon(true);
    return t;
  });
  private final CompletableFuture<Boolean> end = new CompletableFuture<>();
  private State state = State.CREATED;
  private StreamObserver<ChaincodeMessage> toPeer;

  ShimHandler(Chaincode chaincode, String name) {
    this.chaincode = chaincode;
    this.name = name;
  }

  void connect(ChaincodeSupportGrpc.ChaincodeSupportStub stub) {
    toPeer = stub.register(new StreamObserver<>() {
      @Override
      public void onNext(ChaincodeMessage msg) {
        receive(msg);
      }

      @Override
      public void onError(Throwable t) {
        finish(false, "stream to the peer failed: " + t.getMessage());
      }

      @Override
      public void onCompleted() {
        finish(true, "the peer closed the stream");
      }
    });
    send(ChaincodeMessage.newBuilder().setType(Type.REGISTER)
        .setPayload(ChaincodeID.newBuilder().setName(name).build().toByteString()).build());
  }

  /** Blocks until the stream ends; true when the peer ended it cleanly. */
  boolean awaitEnd() throws InterruptedException {
    try {
      return end.get();
    } catch (ExecutionException e) {
      return false;
    }
  }

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  private void receive(ChaincodeMessage msg) {
    switch (msg.getType()) {
      case KEEPALIVE -> send(msg);
      case RESPONSE, ERROR -> {
        CompletableFuture<ChaincodeMessage> waiter = nextWaiter(msg.getTxid());
        if (waiter != null) {
          waiter.complete(msg);
        } else {
          step(msg);
        }
      }
      case REGISTERED, READY -> step(msg);
      case INIT, TRANSACTION -> {
        if (step(msg)) {
          workers.execute(() -> runTransaction(msg));
        }
      }
      case QUERY -> {
        if (step(msg)) {
          workers.execute(() -> runQuery(msg));
        }
      }
      default -> step(msg);
    }
  }

  /** Applies {@code msg} to the state machine; a message without a transition ends the shim. */
  private boolean step(ChaincodeMessage msg) {
    synchronized (lock) {
      State next = TRANSITIONS.get(state).get(msg.getType());
      if (next == null) {
        failFsm(msg);
        return false;
      }
      state = next;
      return true;
    }
  }

  /** Applies our own answer to the state machine, then sends it (in that order, atomically). */
  private void stepAndSend(ChaincodeMessage msg) {
    synchronized (lock) {
      if (step(msg)) {
        send(msg);
      }
    }
  }

  private void failFsm(ChaincodeMessage msg) {
    String text = String.format(
        "Chaincode handler FSM cannot handle message (%s) with payload size (%d) while in state: %s",
        msg.getType(), msg.getPayload().size(), state.name().toLowerCase());
    System.err.println("chaincode " + name + ": " + text);
    send(ChaincodeMessage.newBuilder().setType(Type.ERROR).setTxid(msg.getTxid())
        .setPayload(ByteString.copyFromUtf8(text)).build());
    synchronized (this) {
      toPeer.onCompleted();
    }
    finish(false, text);
  }

  private void runTransaction(ChaincodeMessage msg) {
    String txid = msg.getTxid();
    TxStub stub;
    try {
      stub = new TxStub(this, txid, true, arguments(msg), msg.getSecurityContext());
    } catch (InvalidProtocolBufferException e) {
      stepAndSend(error(txid, Type.ERROR, "Failed to unmarshal input: " + e.getMessage(), null));
      return;
    }
    try {
      byte[] result = msg.getType() == Type.INIT
          ? chaincode.init(stub, stub.function(), stub.parameters())
          : chaincode.invoke(stub, stub.function(), stub.parameters());
      ChaincodeMessage.Builder done = ChaincodeMessage.newBuilder().setType(Type.COMPLETED)
          .setTxid(txid).setPayload(bytes(result));
      if (stub.event() != null) {
        done.setChaincodeEvent(stub.event());
      }
      stepAndSend(done.build());
    } catch (Throwable t) { // a chaincode bug must fail the transaction, not the process
      stepAndSend(error(txid, Type.ERROR, describe(t), stub.event()));
    }
  }

  private void runQuery(ChaincodeMessage msg) {
    String txid = msg.getTxid();
    try {
      TxStub stub = new TxStub(this, txid, false, arguments(msg), msg.getSecurityContext());
      byte[] result = chaincode.query(stub, stub.function(), stub.parameters());
      send(ChaincodeMessage.newBuilder().setType(Type.QUERY_COMPLETED).setTxid(txid)
          .setPayload(bytes(result)).build());
    } catch (Throwable t) { // as above: report, keep serving
      send(error(txid, Type.QUERY_ERROR, describe(t), null));
    }
  }

  /**
   * The Go shim takes the arguments from the security context's payload; the peer sends the same
   * bytes in the message payload too. Prefer the former, as Go chaincode sees it.
   */
  private static ChaincodeInput arguments(ChaincodeMessage msg)
      throws InvalidProtocolBufferException {
    if (msg.hasSecurityContext() && !msg.getSecurityContext().getPayload().isEmpty()) {
      return ChaincodeInput.parseFrom(msg.getSecurityContext().getPayload());
    }
    return ChaincodeInput.parseFrom(msg.getPayload());
  }

  /** Sends a request for {@code txid} and waits for the peer's RESPONSE or ERROR. */
  ChaincodeMessage call(String txid, Type type, ByteString payload) {
    CompletableFuture<ChaincodeMessage> answer = sendExpectingAnswer(txid, type, payload);
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShimException("interrupted while waiting for the peer's answer to " + type);
    } catch (ExecutionException e) {
      throw new ShimException(e.getCause().getMessage());
    }
  }

  /**
   * Sends a state write (PUT_STATE, DEL_STATE) without waiting for its RESPONSE. The messages on
   * the wire are the same as when waiting; the peer applies a txid's requests in order and fails
   * the transaction at COMPLETED if one of its writes failed, so the chaincode loses nothing by not
   * waiting, and each write saves a round trip between the two processes.
   */
  void post(String txid, Type type, ByteString payload) {
    sendExpectingAnswer(txid, type, payload);
  }

  private CompletableFuture<ChaincodeMessage> sendExpectingAnswer(String txid, Type type, ByteString payload) {
    CompletableFuture<ChaincodeMessage> answer = new CompletableFuture<>();
    pending.compute(txid, (k, queue) -> {
      ArrayDeque<CompletableFuture<ChaincodeMessage>> q = queue != null ? queue : new ArrayDeque<>();
      q.add(answer);
      return q;
    });
    if (end.isDone()) {
      answer.completeExceptionally(new ShimException("the stream to the peer is closed"));
      return answer;
    }
    send(ChaincodeMessage.newBuilder().setType(type).setTxid(txid).setPayload(payload).build());
    return answer;
  }

  /** The oldest unanswered request of {@code txid}, removed from its queue; null if none. */
  private CompletableFuture<ChaincodeMessage> nextWaiter(String txid) {
    @SuppressWarnings("unchecked")
    CompletableFuture<ChaincodeMessage>[] head = new CompletableFuture[1];
    pending.computeIfPresent(txid, (k, q) -> {
      head[0] = q.poll();
      return q.isEmpty() ? null : q;
    });
    return head[0];
  }

  /** Like {@link #call} but returns the RESPONSE payload, throwing the text of an ERROR. */
  ByteString request(String txid, Type type, ByteString payload) {
    ChaincodeMessage answer = call(txid, type, payload);
    if (answer.getType() == Type.RESPONSE) {
      return answer.getPayload();
    }
    if (answer.getType() == Type.ERROR) {
      throw new ShimException(answer.getPayload().toStringUtf8());
    }
    throw new ShimException("unexpected answer " + answer.getType() + " to " + type);
  }

  private void send(ChaincodeMessage msg) {
    synchronized (this) { // gRPC stream observers are not thread safe
      try {
        toPeer.onNext(msg);
      } catch (RuntimeException e) {
        finish(false, "cannot send to the peer: " + e.getMessage());
      }
    }
  }

  private void finish(boolean clean, String why) {
    if (end.isDone()) {
      return;
    }
    for (String txid : pending.keySet()) {
      pending.computeIfPresent(txid, (k, q) -> {
        q.forEach(waiter -> waiter.completeExceptionally(new ShimException(why)));
        return null;
      });
    }
    workers.shutdownNow();
    end.complete(clean);
  }

  private static ChaincodeMessage error(String txid, Type type, String text, ChaincodeEvent event) {
    ChaincodeMessage.Builder b = ChaincodeMessage.newBuilder().setType(type).setTxid(txid)
        .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8));
    if (event != null) {
      b.setChaincodeEvent(event);
    }
    return b.build();
  }

  private static ByteString bytes(byte[] result) {
    return result == null ? ByteString.EMPTY : ByteString.copyFrom(result);
  }

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
