package org.jpeer.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.ChaincodeSecurityContext;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.ChaincodeSupportGrpc;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's chaincode support: packages deploys, launches chaincode in the configured runtime,
 * and runs transactions and queries over the chaincode streams. The peer adds
 * {@link #grpcService()} to its gRPC server; launched chaincode dials {@code peerAddress} and
 * registers there.
 *
 * <p>Transactions are expected one at a time (the executor runs a batch in order); queries may
 * run concurrently with them and with each other.
 */
public final class ChaincodeSupport implements ChaincodeService {
  private static final Logger LOG = LoggerFactory.getLogger(ChaincodeSupport.class);

  private final ChaincodeOptions options;
  private final TransactionBinding binding;
  private final Function<String, Optional<Transaction>> deployLookup;
  private final Supplier<StateReader> committedState;
  private final ChaincodeRuntime runtime;
  private final DeployPreparer preparer;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Handler>> awaitingRegister =
      new ConcurrentHashMap<>();
  private final LaunchLocks launchLocks = new LaunchLocks();
  private final ExecutorService background;
  private final ScheduledExecutorService keepalive;
  private volatile boolean closed;

  /**
   * @param deployLookup finds a committed transaction by txid (the peer passes
   *     {@code ledger::transaction}); used to relaunch chaincode from its deploy transaction
   * @param committedState committed world state (the peer passes {@code ledger::committedState});
   *     what a chaincode queried by another chaincode reads
   */
  public ChaincodeSupport(ChaincodeOptions options,
      Function<String, Optional<Transaction>> deployLookup, Supplier<StateReader> committedState) {
    this(options, deployLookup, committedState, TransactionBinding.NONE);
  }

  /** @param binding what a transaction's security context carries as {@code binding} ({@code security.enabled}) */
  public ChaincodeSupport(ChaincodeOptions options,
      Function<String, Optional<Transaction>> deployLookup, Supplier<StateReader> committedState,
      TransactionBinding binding) {
    this(options, deployLookup, committedState, runtimeFor(options), binding);
  }

  ChaincodeSupport(ChaincodeOptions options, Function<String, Optional<Transaction>> deployLookup,
      Supplier<StateReader> committedState, ChaincodeRuntime runtime) {
    this(options, deployLookup, committedState, runtime, TransactionBinding.NONE);
  }

  ChaincodeSupport(ChaincodeOptions options, Function<String, Optional<Transaction>> deployLookup,
      Supplier<StateReader> committedState, ChaincodeRuntime runtime, TransactionBinding binding) {
    this.binding = binding;
    this.options = options;
    this.deployLookup = deployLookup;
    this.committedState = committedState;
    this.runtime = runtime;
    this.preparer = new DeployPreparer(options);
    AtomicInteger threads = new AtomicInteger();
    this.background = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "chaincode-support-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (options.keepalive().isZero() || options.keepalive().isNegative()) {
      this.keepalive = null;
    } else {
      this.keepalive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaincode-keepalive");
        t.setDaemon(true);
        return t;
      });
      long ms = options.keepalive().toMillis();
      keepalive.scheduleAtFixedRate(() -> handlers.values()
          .forEach(h -> h.keepaliveIfIdle(options.keepalive())), ms, ms, TimeUnit.MILLISECONDS);
    }
    LOG.info("Chaincode support: mode {}, runtime {}, chaincode dials {}",
        options.mode().name().toLowerCase(),
        options.mode() == ChaincodeOptions.Mode.DEV ? "none (dev mode)"
            : options.runtime().name().toLowerCase(), options.peerAddress());
  }

  private static ChaincodeRuntime runtimeFor(ChaincodeOptions options) {
    if (options.mode() == ChaincodeOptions.Mode.DEV) {
      return new DevModeRuntime();
    }
    return switch (options.runtime()) {
      case PROCESS -> new ProcessRuntime(options);
      case DOCKER -> new DockerRuntime(options);
    };
  }

  /** The runtime that launches chaincode, for diagnostics and tests. */
  ChaincodeRuntime runtime() {
    return runtime;
  }

  /** Why chaincode could not be launched now, or empty (see {@link ChaincodeRuntime#problem()}). */
  public Optional<String> runtimeProblem() {
    return closed ? Optional.of("chaincode support is closed") : runtime.problem();
  }

  /** The {@code protos.ChaincodeSupport} gRPC service; add it to the peer's server. */
  public BindableService grpcService() {
    return new ChaincodeSupportGrpc.ChaincodeSupportImplBase() {
      @Override
      public StreamObserver<ChaincodeMessage> register(StreamObserver<ChaincodeMessage> out) {
        return new Handler(ChaincodeSupport.this, out, background);
      }
    };
  }

  /** How many chaincode names have a launch lock now (one is held or awaited): zero when idle. */
  int launchLocksInUse() {
    return launchLocks.size();
  }

  /** Names of the chaincodes currently registered (any state but ended). */
  public List<String> registered() {
    return List.copyOf(handlers.keySet());
  }

  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
    return preparer.prepare(spec);
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    ensureOpen();
    return switch (tx.getType()) {
      case CHAINCODE_DEPLOY -> deploy(tx, state);
      case CHAINCODE_INVOKE -> invoke(tx, state);
      default -> throw new ChaincodeException("transaction " + tx.getTxid() + " of type "
          + tx.getType() + " cannot be executed (expected CHAINCODE_DEPLOY or CHAINCODE_INVOKE)");
    };
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    ensureOpen();
    if (tx.getType() != Transaction.Type.CHAINCODE_QUERY) {
      throw new ChaincodeException("transaction " + tx.getTxid() + " of type " + tx.getType()
          + " is not a query");
    }
    ChaincodeSpec spec = invocationSpec(tx);
    String name = nameOf(spec, tx);
    Handler h = launchForCall(name, tx);
    ChaincodeMessage answer = run(h, new TxContext(tx.getTxid(), false, committed, null),
        request(Type.QUERY, tx, spec.getCtorMsg()), "QUERY");
    if (answer.getType() == Type.QUERY_COMPLETED) {
      return answer.getPayload().toByteArray();
    }
    throw failure(answer);
  }

  private ExecutionResult deploy(Transaction tx, TxState state) throws ChaincodeException {
    ChaincodeDeploymentSpec cds;
    try {
      cds = ChaincodeDeploymentSpec.parseFrom(tx.getPayload());
    } catch (InvalidProtocolBufferException e) {
      throw new ChaincodeException("deploy transaction " + tx.getTxid()
          + " does not carry a ChaincodeDeploymentSpec: " + e.getMessage());
    }
    String name = nameOf(cds.getChaincodeSpec(), tx);
    Handler existing = handlers.get(name);
    if (existing != null && options.mode() == ChaincodeOptions.Mode.NET) {
      throw new ChaincodeException(
          "deploy attempted but a chaincode with same name running " + name);
    }
    if (existing != null && existing.isRunning()) {
      // dev mode: a re-deploy of a running chaincode is committed without running Init again
      return new ExecutionResult(new byte[0], null);
    }
    launchForDeploy(name, tx, cds, state);
    return new ExecutionResult(new byte[0], null);
  }

  private ExecutionResult invoke(Transaction tx, TxState state) throws ChaincodeException {
    ChaincodeSpec spec = invocationSpec(tx);
    String name = nameOf(spec, tx);
    Handler h = launchForCall(name, tx);
    ChaincodeMessage answer = run(h, new TxContext(tx.getTxid(), true, state, state),
        request(Type.TRANSACTION, tx, spec.getCtorMsg()), "TRANSACTION");
    if (answer.getType() != Type.COMPLETED) {
      throw failure(answer);
    }
    ChaincodeEvent event = null;
    if (answer.hasChaincodeEvent()) {
      event = answer.getChaincodeEvent().toBuilder().setChaincodeID(name).setTxID(tx.getTxid())
          .build();
    }
    return new ExecutionResult(answer.getPayload().toByteArray(), event);
  }

  /** Serves INVOKE_CHAINCODE / INVOKE_QUERY: runs the callee under the caller's txid. */
  ChaincodeMessage callChaincode(ChaincodeSpec spec, TxContext caller, boolean invoke)
      throws ChaincodeException {
    String callee = spec.getChaincodeID().getName();
    if (callee.isEmpty()) {
      throw new ChaincodeException("chaincode-to-chaincode call without a callee name");
    }
    Transaction synthetic = Transaction.newBuilder()
        .setType(invoke ? Transaction.Type.CHAINCODE_INVOKE : Transaction.Type.CHAINCODE_QUERY)
        .setChaincodeID(spec.getChaincodeID().toByteString())
        .setPayload(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build()
            .toByteString())
        .setTxid(caller.txid).setTimestamp(now()).build();
    Handler h = launchForCall(callee, synthetic);
    if (invoke) {
      return run(h, new TxContext(caller.txid, true, caller.writer, caller.writer),
          request(Type.TRANSACTION, synthetic, spec.getCtorMsg()), "TRANSACTION");
    }
    StateReader reader = caller.transaction ? committedState.get() : caller.reader;
    return run(h, new TxContext(caller.txid, false, reader, null),
        request(Type.QUERY, synthetic, spec.getCtorMsg()), "QUERY");
  }

  private ChaincodeMessage run(Handler h, TxContext ctx, ChaincodeMessage msg, String step)
      throws ChaincodeException {
    return exchange(h, ctx, msg, options.executeTimeout(), step);
  }

  /** Opens the context, sends the request and waits for its answer; the context ends either way. */
  private static ChaincodeMessage exchange(Handler h, TxContext ctx, ChaincodeMessage msg,
      Duration timeout, String step) throws ChaincodeException {
    h.begin(ctx);
    try {
      h.sendRequest(ctx, msg);
    } catch (ChaincodeException e) {
      h.forget(ctx);
      throw e;
    }
    return h.await(ctx, timeout, step);
  }

  /**
   * Makes sure chaincode {@code name} runs for an invoke or query (or a chaincode-to-chaincode
   * call): a running chaincode is used as it is; otherwise it is started from its deploy
   * transaction in the ledger and told READY, as the original relaunches it. Failures read as the
   * original's.
   */
  private Handler launchForCall(String name, Transaction cause) throws ChaincodeException {
    Handler running = runningHandler(name);
    if (running != null) {
      return running; // the common case needs no lock: the lock only orders launches
    }
    try {
      return launchOnce(name, () -> {
        Handler h = registeredOrStarted(name, deploymentFromLedger(name));
        ready(h, cause);
        return h;
      });
    } catch (ChaincodeException e) {
      throw new ChaincodeException("Failed to launch chaincode spec(" + e.getMessage() + ")", e);
    }
  }

  /**
   * Starts chaincode {@code name} for its deploy transaction: from the deployment spec it carries,
   * then INIT with the deploy's arguments (state writes go to the deploy's {@code state}), or READY
   * when the deploy has none.
   */
  private void launchForDeploy(String name, Transaction deploy, ChaincodeDeploymentSpec cds, TxState state)
      throws ChaincodeException {
    launchOnce(name, () -> {
      Handler h = registeredOrStarted(name, cds);
      ChaincodeInput ctor = cds.getChaincodeSpec().getCtorMsg();
      if (ctor.getArgsCount() > 0) {
        init(h, deploy, ctor, state);
      } else {
        ready(h, deploy);
      }
      return h;
    });
  }

  /** A step of a launch that may fail with a ChaincodeException. */
  @FunctionalInterface
  private interface LaunchStep {
    Handler run() throws ChaincodeException;
  }

  /**
   * Runs {@code steps} under {@code name}'s launch lock, unless the chaincode runs by the time the
   * lock is held (another launch finished meanwhile).
   */
  private Handler launchOnce(String name, LaunchStep steps) throws ChaincodeException {
    Duration patience = options.startupTimeout().plus(options.deployTimeout());
    try (LaunchLocks.Held held = launchLocks.acquire(name, patience)) {
      Handler running = runningHandler(name);
      if (running != null) {
        return running;
      }
      return steps.run();
    } catch (TimeoutException e) {
      throw new ChaincodeException("chaincode " + name + ": another launch of it did not "
          + "finish within " + patience.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaincodeException("chaincode " + name + ": interrupted while waiting to launch");
    }
  }

  private Handler runningHandler(String name) {
    Handler h = handlers.get(name);
    return h != null && h.isRunning() ? h : null;
  }

  /** The registered stream of {@code name} (e.g. one a user started in dev mode), or a new start. */
  private Handler registeredOrStarted(String name, ChaincodeDeploymentSpec spec) throws ChaincodeException {
    Handler registered = handlers.get(name);
    return registered != null ? registered : start(name, spec);
  }

  /** INIT with the deploy's arguments; any answer but COMPLETED fails the deploy. */
  private void init(Handler h, Transaction deploy, ChaincodeInput ctor, TxState state) throws ChaincodeException {
    ChaincodeMessage answer = startExchange(h, new TxContext(deploy.getTxid(), true, state, state),
        request(Type.INIT, deploy, ctor), options.deployTimeout(), "INIT");
    if (answer.getType() != Type.COMPLETED) {
      throw startFailed(h, new ChaincodeException("chaincode " + h.name() + ": Failed to init chaincode("
          + answer.getPayload().toStringUtf8() + ")"));
    }
  }

  /** READY, for a chaincode initialized before (a relaunch) or deployed without arguments. */
  private void ready(Handler h, Transaction cause) throws ChaincodeException {
    startExchange(h, new TxContext(cause.getTxid(), false, null, null),
        request(Type.READY, cause, ChaincodeInput.getDefaultInstance()), options.startupTimeout(), "READY");
  }

  private static ChaincodeMessage startExchange(Handler h, TxContext ctx, ChaincodeMessage msg, Duration timeout,
      String step) throws ChaincodeException {
    try {
      return exchange(h, ctx, msg, timeout, step);
    } catch (ChaincodeException e) {
      throw startFailed(h, e);
    }
  }

  /** As the original: a chaincode that did not come up is stopped (and relaunched on next use). */
  private static ChaincodeException startFailed(Handler h, ChaincodeException e) {
    h.terminate("it did not complete its start: " + e.getMessage(), true);
    return e;
  }

  private Handler start(String name, ChaincodeDeploymentSpec spec) throws ChaincodeException {
    CompletableFuture<Handler> registration = new CompletableFuture<>();
    awaitingRegister.put(name, registration);
    try {
      runtime.start(name, spec).thenAccept(exit -> registration.completeExceptionally(
          new ChaincodeException("chaincode " + name + " ended before it registered: " + exit)));
      return registration.get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      runtime.stop(name);
      throw new ChaincodeException("chaincode " + name + ": Timeout expired while starting "
          + "chaincode (no REGISTER within " + options.startupTimeout().toMillis() + " ms)");
    } catch (ExecutionException e) {
      runtime.stop(name);
      throw new ChaincodeException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      runtime.stop(name);
      Thread.currentThread().interrupt();
      throw new ChaincodeException("chaincode " + name + ": interrupted while starting");
    } catch (ChaincodeException e) {
      runtime.stop(name);
      throw e;
    } finally {
      awaitingRegister.remove(name, registration);
    }
  }

  private ChaincodeDeploymentSpec deploymentFromLedger(String name) throws ChaincodeException {
    Transaction deployTx;
    try {
      deployTx = deployLookup.apply(name).orElseThrow(() -> new ChaincodeException(
          "Could not get deployment transaction for " + name
              + " - LedgerError - ResourceNotFound: ledger: resource not found"));
    } catch (RuntimeException e) {
      throw new ChaincodeException("Could not get deployment transaction for " + name + " - "
          + e.getMessage(), e);
    }
    try {
      return ChaincodeDeploymentSpec.parseFrom(deployTx.getPayload());
    } catch (InvalidProtocolBufferException e) {
      throw new ChaincodeException("deployment transaction of " + name
          + " does not carry a ChaincodeDeploymentSpec: " + e.getMessage());
    }
  }

  /** Called by a handler on REGISTER; false refuses a name that already has a live stream. */
  boolean register(Handler h) {
    Handler previous = handlers.putIfAbsent(h.name(), h);
    return previous == null || previous == h;
  }

  /** Called by a handler after REGISTERED was sent: wakes the launch that waits for it. */
  void registered(Handler h) {
    CompletableFuture<Handler> waiting = awaitingRegister.get(h.name());
    if (waiting != null) {
      waiting.complete(h);
    }
  }

  /** Called by a handler whose stream ended: forget it and stop what is left of its process. */
  void ended(Handler h) {
    if (h.name().isEmpty() || !handlers.remove(h.name(), h) || closed) {
      return;
    }
    String name = h.name();
    background.execute(() -> {
      // under the launch lock: a relaunch that registered meanwhile keeps its process
      try (LaunchLocks.Held held = launchLocks.acquire(name)) {
        if (!handlers.containsKey(name)) {
          runtime.stop(name);
        }
      }
    });
  }

  /** {@code peer.maxMessageSize}: the largest message the peer sends a chaincode. */
  int maxMessageBytes() {
    return options.maxMessageBytes();
  }

  /** INIT, READY, TRANSACTION or QUERY, with the security context the Go shim needs. */
  private ChaincodeMessage request(Type type, Transaction tx, ChaincodeInput input) {
    ByteString arguments = input.toByteString();
    ChaincodeSecurityContext.Builder security = ChaincodeSecurityContext.newBuilder()
        .setCallerCert(tx.getCert()).setCallerSign(tx.getSignature())
        .setMetadata(tx.getMetadata()).setPayload(arguments);
    if (!tx.getCert().isEmpty()) {
      security.setBinding(ByteString.copyFrom(binding.of(tx)));
    }
    if (tx.hasTimestamp()) {
      security.setTxTimestamp(tx.getTimestamp());
    }
    ChaincodeMessage.Builder msg = ChaincodeMessage.newBuilder().setType(type)
        .setTxid(tx.getTxid()).setSecurityContext(security);
    if (type != Type.READY) {
      msg.setPayload(arguments);
    }
    return msg.build();
  }

  private static ChaincodeSpec invocationSpec(Transaction tx) throws ChaincodeException {
    try {
      return ChaincodeInvocationSpec.parseFrom(tx.getPayload()).getChaincodeSpec();
    } catch (InvalidProtocolBufferException e) {
      throw new ChaincodeException("transaction " + tx.getTxid()
          + " does not carry a ChaincodeInvocationSpec: " + e.getMessage());
    }
  }

  private static String nameOf(ChaincodeSpec spec, Transaction tx) throws ChaincodeException {
    String name = spec.getChaincodeID().getName();
    if (name.isEmpty()) {
      throw new ChaincodeException("transaction " + tx.getTxid() + " names no chaincode "
          + "(chaincodeSpec.chaincodeID.name is empty)");
    }
    return name;
  }

  private static ChaincodeException failure(ChaincodeMessage answer) {
    return new ChaincodeException("Transaction or query returned with failure: "
        + answer.getPayload().toStringUtf8());
  }

  private static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private void ensureOpen() throws ChaincodeException {
    if (closed) {
      throw new ChaincodeException("chaincode support is closed (the peer is stopping)");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (keepalive != null) {
      keepalive.shutdownNow();
    }
    for (Handler h : List.copyOf(handlers.values())) {
      h.terminate("the peer is stopping", true);
    }
    runtime.close();
    background.shutdownNow();
  }
}
