package org.jpeer.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jpeer.ledger.StateEntry;
import org.jpeer.ledger.StateIterator;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.PutStateInfo;
import org.jpeer.protos.RangeQueryState;
import org.jpeer.protos.RangeQueryStateClose;
import org.jpeer.protos.RangeQueryStateKeyValue;
import org.jpeer.protos.RangeQueryStateNext;
import org.jpeer.protos.RangeQueryStateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer side of one chaincode's {@code Register} stream, message for message as Fabric v0.6's
 * handler: its state machine (created, established, init, ready, transaction, busyinit, busyxact,
 * end), per-txid contexts, point reads and writes answered on the stream's thread, range queries
 * and calls to other chaincode served in the background. Every message, received or
 * produced here, is applied to the state machine before it is sent, under one lock, so the two
 * sides never disagree about the state.
 *
 * <p>Threading, one rule: the state machine ({@code state}, {@code serving}, {@code terminated}) is
 * read and written only while holding {@code lock}. Messages from the chaincode arrive on the
 * stream's transport thread; requests from the peer come from executor and query threads; served
 * requests answer from background threads. Outside the lock are only {@code contexts}, a concurrent
 * map whose entries each belong to the one txid in flight, {@code name}, written once at REGISTER
 * (under the lock, before any message can name a txid), and {@code lastReceived}, a timestamp for
 * keepalives. Sending holds the stream's own monitor ({@code out}), never the other way round.
 */
final class Handler implements StreamObserver<ChaincodeMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(Handler.class);
  static final int RANGE_PAGE_SIZE = 100;
  /** Room in a message besides keys and values. */
  static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

  enum State { CREATED, ESTABLISHED, INIT, READY, TRANSACTION, BUSYINIT, BUSYXACT, END }

  private static final Map<State, Map<Type, State>> FSM = new EnumMap<>(State.class);
  private static final Set<Type> WRITES =
      EnumSet.of(Type.PUT_STATE, Type.DEL_STATE, Type.INVOKE_CHAINCODE);
  private static final Set<Type> READS = EnumSet.of(Type.GET_STATE, Type.RANGE_QUERY_STATE,
      Type.RANGE_QUERY_STATE_NEXT, Type.RANGE_QUERY_STATE_CLOSE);

  static {
    for (State s : State.values()) {
      FSM.put(s, new EnumMap<>(Type.class));
    }
    on(Type.REGISTER, State.CREATED, State.ESTABLISHED);
    on(Type.INIT, State.ESTABLISHED, State.INIT);
    on(Type.READY, State.ESTABLISHED, State.READY);
    on(Type.TRANSACTION, State.READY, State.TRANSACTION);
    for (Type w : WRITES) {
      on(w, State.TRANSACTION, State.BUSYXACT);
      on(w, State.INIT, State.BUSYINIT);
    }
    for (State s : EnumSet.of(State.INIT, State.READY, State.TRANSACTION)) {
      on(Type.COMPLETED, s, State.READY);
    }
    for (Type r : READS) {
      for (State s : EnumSet.of(State.READY, State.INIT, State.BUSYINIT, State.TRANSACTION,
          State.BUSYXACT)) {
        on(r, s, s);
      }
    }
    on(Type.ERROR, State.INIT, State.END);
    on(Type.ERROR, State.TRANSACTION, State.READY);
    on(Type.ERROR, State.BUSYINIT, State.INIT);
    on(Type.ERROR, State.BUSYXACT, State.TRANSACTION);
    on(Type.RESPONSE, State.BUSYINIT, State.INIT);
    on(Type.RESPONSE, State.BUSYXACT, State.TRANSACTION);
  }

  private static void on(Type event, State from, State to) {
    FSM.get(from).put(event, to);
  }

  private final ChaincodeSupport support;
  private final StreamObserver<ChaincodeMessage> out;
  private final Executor background;
  private final Object lock = new Object();
  private final Map<String, TxContext> contexts = new ConcurrentHashMap<>();
  /** Txids with a state request being served: a second one is dropped, as in the original. */
  private final Set<String> serving = new HashSet<>(); // guarded by lock
  private volatile String name = "";
  private volatile long lastReceived = System.nanoTime();
  private State state = State.CREATED; // guarded by lock
  private boolean terminated; // guarded by lock

  Handler(ChaincodeSupport support, StreamObserver<ChaincodeMessage> out, Executor background) {
    this.support = support;
    this.out = out;
    this.background = background;
  }

  String name() {
    return name;
  }

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** "Running" in the original's sense: registered and past INIT/READY. */
  boolean isRunning() {
    State s = state();
    return s != State.CREATED && s != State.ESTABLISHED && s != State.INIT && s != State.END;
  }

  // ---- messages from the chaincode ----

  @Override
  public void onNext(ChaincodeMessage msg) {
    lastReceived = System.nanoTime();
    if (LOG.isDebugEnabled()) {
      LOG.debug("chaincode {} -> peer: {} txid={}", shortName(), msg.getType(), msg.getTxid());
    }
    switch (msg.getType()) {
      case REGISTER -> register(msg);
      case KEEPALIVE -> { }
      case QUERY_COMPLETED, QUERY_ERROR -> deliver(msg);
      case INVOKE_QUERY -> {
        if (startServing(msg)) {
          serve(msg, () -> callChaincode(msg, false), false);
        }
      }
      default -> step(msg);
    }
  }

  @Override
  public void onError(Throwable t) {
    terminate("its stream failed (" + t.getMessage() + ")", false);
  }

  @Override
  public void onCompleted() {
    terminate("it closed its stream", true);
  }

  private void register(ChaincodeMessage msg) {
    ChaincodeID id;
    try {
      id = ChaincodeID.parseFrom(msg.getPayload());
    } catch (InvalidProtocolBufferException e) {
      terminate("its REGISTER payload is not a ChaincodeID", true);
      return;
    }
    synchronized (lock) {
      if (state != State.CREATED) {
        noTransition(msg);
        return;
      }
      if (id.getName().isEmpty()) {
        terminate("it registered without a name", true);
        return;
      }
      name = id.getName();
      if (!support.register(this)) {
        LOG.warn("Refused chaincode registration: {} is already registered on another stream",
            name);
        terminate("a chaincode named " + name + " is already registered", true);
        return;
      }
      state = State.ESTABLISHED;
      send(ChaincodeMessage.newBuilder().setType(Type.REGISTERED).build());
    }
    LOG.info("Chaincode {} registered", shortName());
    support.registered(this);
  }

  private void step(ChaincodeMessage msg) {
    Type type = msg.getType();
    boolean request = READS.contains(type) || WRITES.contains(type);
    State next;
    synchronized (lock) {
      if (request && !startServing(msg)) {
        return;
      }
      next = FSM.get(state).get(type);
      if (next == null) {
        if (request) {
          serving.remove(msg.getTxid());
        }
        noTransition(msg);
        return;
      }
      state = next;
    }
    switch (type) {
      case COMPLETED -> deliver(msg);
      case ERROR -> {
        if (next == State.END) {
          deliver(msg);
          terminate("its INIT failed: " + msg.getPayload().toStringUtf8(), true);
        } else if (next == State.READY) {
          deliver(msg);
        }
      }
      // point reads and writes touch memory and at most one RocksDB get: answering them here,
      // on the stream's own thread, saves two thread hand-offs per round trip
      case GET_STATE -> answer(msg, getState(msg), false);
      case PUT_STATE, DEL_STATE -> answer(msg, recordRefusal(msg, write(msg)), true);
      case RANGE_QUERY_STATE, RANGE_QUERY_STATE_NEXT, RANGE_QUERY_STATE_CLOSE ->
          serve(msg, () -> range(msg), false);
      case INVOKE_CHAINCODE -> serve(msg, () -> callChaincode(msg, true), true);
      default -> { }
    }
  }

  /** Called holding {@code lock}. */
  private void noTransition(ChaincodeMessage msg) {
    assert Thread.holdsLock(lock) : "noTransition reads the state without the lock";
    Type type = msg.getType();
    TxContext ctx = contexts.get(msg.getTxid());
    if (WRITES.contains(type) && (ctx == null || !ctx.transaction)) {
      send(error(msg.getTxid(), "Cannot handle " + type + " in query context"));
    }
    terminate("it sent " + type + " (txid " + msg.getTxid() + ") in state "
        + state.name().toLowerCase() + ", which the protocol does not allow", true);
  }

  /** Marks a request's txid as being served; false (and the request dropped) if one already is. */
  private boolean startServing(ChaincodeMessage msg) {
    synchronized (lock) {
      if (serving.add(msg.getTxid())) {
        return true;
      }
    }
    LOG.debug("chaincode {}: dropped {} for txid {}: another request of it is being served",
        name, msg.getType(), msg.getTxid());
    return false;
  }

  private void doneServing(ChaincodeMessage msg) {
    synchronized (lock) {
      serving.remove(msg.getTxid());
    }
  }

  /** Sends the reply to a request served on the calling thread; see {@link #serve}. */
  private void answer(ChaincodeMessage msg, ChaincodeMessage reply, boolean step) {
    doneServing(msg);
    if (step) {
      stepAndSend(reply);
    } else {
      send(reply);
    }
  }

  /**
   * Serves one request in the background (it may take long: ranges, calls to other chaincode)
   * and sends the reply (through the state machine for
   * writes and calls). The txid is free again before the reply leaves, because the chaincode may
   * send its next request for it as soon as it has the reply.
   */
  private void serve(ChaincodeMessage msg, Supplier<ChaincodeMessage> work, boolean step) {
    background.execute(() -> {
      ChaincodeMessage reply;
      try {
        reply = work.get();
      } catch (RuntimeException e) {
        reply = error(msg.getTxid(), "Failed to serve " + msg.getType() + ": " + e);
      } finally {
        doneServing(msg);
      }
      if (step) {
        stepAndSend(reply);
      } else {
        send(reply);
      }
    });
  }

  private ChaincodeMessage getState(ChaincodeMessage msg) {
    TxContext ctx = contexts.get(msg.getTxid());
    if (ctx == null) {
      return noContext(msg);
    }
    try {
      byte[] value = ctx.reader.get(name, msg.getPayload().toStringUtf8());
      return response(msg.getTxid(), value == null ? ByteString.EMPTY : ByteString.copyFrom(value));
    } catch (RuntimeException e) {
      return error(msg.getTxid(), "Failed to get state: " + e.getMessage());
    }
  }

  private ChaincodeMessage write(ChaincodeMessage msg) {
    TxContext ctx = contexts.get(msg.getTxid());
    if (ctx == null || !ctx.transaction) {
      return error(msg.getTxid(), "Cannot handle " + msg.getType() + " in query context");
    }
    try {
      if (msg.getType() == Type.PUT_STATE) {
        PutStateInfo put = PutStateInfo.parseFrom(msg.getPayload());
        if (put.getKey().isEmpty() || put.getValue().isEmpty()) {
          return error(msg.getTxid(), "An empty string key or a nil value is not supported");
        }
        int limit = (support.maxMessageBytes() - MESSAGE_OVERHEAD_BYTES) / 2;
        if (put.getKey().length() + put.getValue().size() > limit) {
          // it comes back whole in a GET_STATE answer, or in a range page beside others of up to this size
          return error(msg.getTxid(), "The key and value are " + (put.getKey().length() + put.getValue().size())
              + " bytes; at most " + limit + " can be stored (peer.maxMessageSize=" + support.maxMessageBytes() + ")");
        }
        ctx.writer.put(name, put.getKey(), put.getValue().toByteArray());
      } else {
        String key = msg.getPayload().toStringUtf8();
        if (key.isEmpty()) {
          return error(msg.getTxid(), "An empty string key or a nil value is not supported");
        }
        ctx.writer.delete(name, key);
      }
      return response(msg.getTxid(), ByteString.EMPTY);
    } catch (InvalidProtocolBufferException e) {
      return error(msg.getTxid(), "Failed to unmarshall PUT_STATE payload: " + e.getMessage());
    } catch (RuntimeException e) {
      return error(msg.getTxid(), "Failed to write state: " + e.getMessage());
    }
  }

  private ChaincodeMessage range(ChaincodeMessage msg) {
    TxContext ctx = contexts.get(msg.getTxid());
    if (ctx == null) {
      return noContext(msg);
    }
    try {
      switch (msg.getType()) {
        case RANGE_QUERY_STATE -> {
          RangeQueryState q = RangeQueryState.parseFrom(msg.getPayload());
          StateIterator it = ctx.reader.range(name, q.getStartKey(), q.getEndKey());
          return page(ctx, msg.getTxid(), UUID.randomUUID().toString(), it);
        }
        case RANGE_QUERY_STATE_NEXT -> {
          String id = RangeQueryStateNext.parseFrom(msg.getPayload()).getID();
          StateIterator it = ctx.iterators.get(id);
          if (it == null) {
            return error(msg.getTxid(), "Range query iterator not found");
          }
          return page(ctx, msg.getTxid(), id, it);
        }
        default -> {
          String id = RangeQueryStateClose.parseFrom(msg.getPayload()).getID();
          StateIterator it = ctx.iterators.remove(id);
          if (it != null) {
            it.close();
          }
          return response(msg.getTxid(), RangeQueryStateResponse.newBuilder().setHasMore(false)
              .setID(id).build().toByteString());
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return error(msg.getTxid(), "Failed to unmarshall " + msg.getType() + " payload: "
          + e.getMessage());
    } catch (RuntimeException e) {
      return error(msg.getTxid(), "Failed to run range query: " + e.getMessage());
    }
  }

  private ChaincodeMessage page(TxContext ctx, String txid, String id, StateIterator it) {
    RangeQueryStateResponse.Builder page = RangeQueryStateResponse.newBuilder().setID(id);
    // at most 100 entries (the original's page), and no more bytes than one message to the chaincode
    // takes: entries are added while the page holds less than half of it, and one entry is at most half
    long half = (support.maxMessageBytes() - MESSAGE_OVERHEAD_BYTES) / 2;
    long bytes = 0;
    while (page.getKeysAndValuesCount() < RANGE_PAGE_SIZE && it.hasNext() && bytes < half) {
      StateEntry e = it.next();
      bytes += e.key().length() + e.value().length;
      page.addKeysAndValues(RangeQueryStateKeyValue.newBuilder().setKey(e.key())
          .setValue(ByteString.copyFrom(e.value())));
    }
    boolean more = it.hasNext();
    page.setHasMore(more);
    if (more) {
      ctx.iterators.put(id, it);
    } else {
      ctx.iterators.remove(id);
      it.close();
    }
    return response(txid, page.build().toByteString());
  }

  private ChaincodeMessage callChaincode(ChaincodeMessage msg, boolean invoke) {
    TxContext ctx = contexts.get(msg.getTxid());
    if (ctx == null) {
      return noContext(msg);
    }
    if (invoke && !ctx.transaction) {
      return error(msg.getTxid(), "Cannot handle INVOKE_CHAINCODE in query context");
    }
    try {
      ChaincodeSpec spec = ChaincodeSpec.parseFrom(msg.getPayload());
      ChaincodeMessage answer = support.callChaincode(spec, ctx, invoke);
      return response(msg.getTxid(), answer.toByteString());
    } catch (InvalidProtocolBufferException e) {
      return error(msg.getTxid(), "Failed to unmarshall " + msg.getType() + " payload: "
          + e.getMessage());
    } catch (ChaincodeException | RuntimeException e) {
      return error(msg.getTxid(), e.getMessage());
    }
  }

  private ChaincodeMessage noContext(ChaincodeMessage msg) {
    return error(msg.getTxid(), "no transaction or query with txid " + msg.getTxid()
        + " is running on chaincode " + name);
  }

  /** Applies a reply produced here to the state machine, then sends it. */
  private void stepAndSend(ChaincodeMessage msg) {
    synchronized (lock) {
      if (terminated) {
        return; // the chaincode went away while we served its request
      }
      State next = FSM.get(state).get(msg.getType());
      if (next == null) {
        LOG.warn("chaincode {}: cannot send {} in state {}", shortName(), msg.getType(), state);
        terminate("the peer could not answer in state " + state, true);
        return;
      }
      state = next;
      send(msg);
    }
  }

  private void deliver(ChaincodeMessage msg) {
    TxContext ctx = contexts.get(msg.getTxid());
    if (ctx == null) {
      LOG.debug("chaincode {}: dropped {} for txid {} nobody waits for", shortName(),
          msg.getType(), msg.getTxid());
      return;
    }
    String refused = ctx.refusedWrite;
    if (msg.getType() == Type.COMPLETED && refused != null) {
      ctx.answer.complete(error(msg.getTxid(), refused));
      return;
    }
    ctx.answer.complete(msg);
  }

  /** Remembers a refused write of a transaction so that its COMPLETED becomes a failure. */
  private ChaincodeMessage recordRefusal(ChaincodeMessage request, ChaincodeMessage reply) {
    if (reply.getType() == Type.ERROR) {
      TxContext ctx = contexts.get(request.getTxid());
      if (ctx != null && ctx.refusedWrite == null) {
        ctx.refusedWrite = reply.getPayload().toStringUtf8();
      }
    }
    return reply;
  }

  // ---- requests from the peer ----

  TxContext begin(TxContext ctx) throws ChaincodeException {
    if (contexts.putIfAbsent(ctx.txid, ctx) != null) {
      throw new ChaincodeException("chaincode " + name + ": txid:" + ctx.txid + " exists");
    }
    if (state() == State.END) {
      contexts.remove(ctx.txid, ctx);
      throw new ChaincodeException("chaincode " + name + " has stopped");
    }
    return ctx;
  }

  /** Sends INIT, READY or TRANSACTION, which move the state machine, or QUERY, which does not. */
  void sendRequest(TxContext ctx, ChaincodeMessage msg) throws ChaincodeException {
    synchronized (lock) {
      if (msg.getType() == Type.QUERY) {
        if (state == State.END || state == State.CREATED || state == State.ESTABLISHED) {
          throw new ChaincodeException("chaincode " + name + " cannot take QUERY in state "
              + state.name().toLowerCase());
        }
      } else {
        State next = FSM.get(state).get(msg.getType());
        if (next == null) {
          State was = state;
          // the original tears the stream down here; the next use relaunches the chaincode
          terminate("it was still " + was.name().toLowerCase() + " when " + msg.getType()
              + " " + msg.getTxid() + " came (an earlier request timed out?)", true);
          throw new ChaincodeException("chaincode " + name + " cannot take " + msg.getType()
              + " in state " + was.name().toLowerCase() + "; it has been stopped and will be "
              + "relaunched on next use");
        }
        state = next;
        if (msg.getType() == Type.READY) {
          ctx.answer.complete(msg);
        }
      }
      send(msg);
    }
  }

  /** Drops a context whose request could not be sent. */
  void forget(TxContext ctx) {
    contexts.remove(ctx.txid, ctx);
    ctx.closeIterators();
  }

  /** Waits for the answer of {@code ctx}, then forgets it (and its open iterators). */
  ChaincodeMessage await(TxContext ctx, Duration timeout, String step) throws ChaincodeException {
    try {
      return ctx.answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ChaincodeException("chaincode " + name + ": Timeout expired while executing "
          + step + " " + ctx.txid + " (no answer within " + timeout.toMillis() + " ms)");
    } catch (ExecutionException e) {
      throw new ChaincodeException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaincodeException("chaincode " + name + ": interrupted while waiting for " + step
          + " " + ctx.txid);
    } finally {
      contexts.remove(ctx.txid, ctx);
      ctx.closeIterators();
    }
  }

  void keepaliveIfIdle(Duration period) {
    if (System.nanoTime() - lastReceived >= period.toNanos() && state() != State.END) {
      send(ChaincodeMessage.newBuilder().setType(Type.KEEPALIVE).build());
    }
  }

  /** Ends the stream: deregisters, fails every waiting request with the reason, closes the stream. */
  void terminate(String why, boolean closeStream) {
    synchronized (lock) {
      if (terminated) {
        return;
      }
      terminated = true;
      state = State.END;
    }
    String reason = "chaincode " + (name.isEmpty() ? "(unregistered)" : name) + " stopped: " + why;
    LOG.info("Chaincode {} stream ended: {}", shortName(), why);
    support.ended(this);
    for (TxContext ctx : contexts.values()) {
      ctx.answer.completeExceptionally(new ChaincodeException(reason));
      ctx.closeIterators();
    }
    if (closeStream) {
      synchronized (out) {
        try {
          out.onCompleted();
        } catch (RuntimeException e) {
          LOG.debug("closing the stream of chaincode {} failed: {}", shortName(), e.toString());
        }
      }
    }
  }

  private void send(ChaincodeMessage msg) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("peer -> chaincode {}: {} txid={}", shortName(), msg.getType(), msg.getTxid());
    }
    synchronized (out) { // a gRPC stream observer takes one writer at a time
      try {
        out.onNext(msg);
      } catch (RuntimeException e) {
        background.execute(() -> terminate("sending " + msg.getType() + " failed: " + e, false));
      }
    }
  }

  private static ChaincodeMessage response(String txid, ByteString payload) {
    return ChaincodeMessage.newBuilder().setType(Type.RESPONSE).setTxid(txid).setPayload(payload)
        .build();
  }

  private static ChaincodeMessage error(String txid, String text) {
    return ChaincodeMessage.newBuilder().setType(Type.ERROR).setTxid(txid)
        .setPayload(ByteString.copyFromUtf8(text)).build();
  }

  private String shortName() {
    return ProcessRuntime.shortName(name);
  }
}
