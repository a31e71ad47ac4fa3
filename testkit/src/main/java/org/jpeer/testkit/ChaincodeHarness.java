package org.jpeer.testkit;

import com.google.protobuf.ByteString;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ChaincodeSupport;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.devops.Transactions;
import org.jpeer.executor.LedgerExecutor;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.Shim;
import org.jpeer.shim.ShimOptions;

/**
 * The peer's chaincode side in the test JVM, wired as the peer wires it: the RocksDB ledger in a
 * temporary folder, ChaincodeSupport on a gRPC server at 127.0.0.1 port 0 (callbacks on the
 * transport thread, as in PeerNode), transactions built by devops' own builder, and every block
 * run by the peer's {@link LedgerExecutor}. Chaincode runs in the configured runtime (the process
 * runtime by default, Docker, or in dev mode wherever the test starts it: in this JVM with the real
 * shim, or as a jar).
 */
public final class ChaincodeHarness implements AutoCloseable {
  private final PeerLedger ledger;
  private final ChaincodeSupport support;
  private final ChaincodeOptions options;
  private final Server server;
  private final String address;
  private final Path dir;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<AutoCloseable> chaincodes = new ArrayList<>();

  private ChaincodeHarness(Path dir, UnaryOperator<ChaincodeOptions> configure, ServerCredentials credentials)
      throws IOException {
    this.dir = dir;
    this.ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults());
    MutableHandlerRegistry services = new MutableHandlerRegistry();
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
          .fallbackHandlerRegistry(services).maxInboundMessageSize(64 << 20)
          .directExecutor().build().start();
    } catch (IOException | RuntimeException e) {
      ledger.close();
      throw e;
    }
    address = "127.0.0.1:" + server.getPort();
    options = configure.apply(ChaincodeOptions.defaults(dir, address)
        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30)));
    support = new ChaincodeSupport(options, ledger::transaction, ledger::committedState);
    services.addService(support.grpcService());
  }

  /** Chaincode launched by the peer as local processes (the default runtime). */
  public static ChaincodeHarness processRuntime(Path dir) {
    return start(dir, o -> o);
  }

  /** Dev mode: the test starts the chaincode ({@link #runInProcess}, {@link #startJar}); deploys name it. */
  public static ChaincodeHarness devMode(Path dir) {
    return start(dir, o -> o.withMode(ChaincodeOptions.Mode.DEV));
  }

  /** Chaincode in containers of the engine at {@code endpoint}, images built on {@code baseImage}. */
  public static ChaincodeHarness dockerRuntime(Path dir, String endpoint, String baseImage, String namePrefix) {
    return start(dir, o -> o.withRuntime(ChaincodeOptions.RuntimeKind.DOCKER, endpoint).withBaseImage(baseImage)
        .withDocker("host", 512L << 20, namePrefix));
  }

  /** Any options (mode, runtime, timeouts, keepalive) on a plaintext server. */
  public static ChaincodeHarness start(Path dir, UnaryOperator<ChaincodeOptions> configure) {
    return start(dir, configure, InsecureServerCredentials.create());
  }

  public static ChaincodeHarness start(Path dir, UnaryOperator<ChaincodeOptions> configure,
      ServerCredentials credentials) {
    try {
      return new ChaincodeHarness(dir, configure, credentials);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the chaincode harness in " + dir, e);
    }
  }

  public PeerLedger ledger() {
    return ledger;
  }

  public ChaincodeSupport support() {
    return support;
  }

  public ChaincodeOptions options() {
    return options;
  }

  /** Where chaincode dials: {@code 127.0.0.1:<port>}. */
  public String address() {
    return address;
  }

  /** A plaintext channel to the ChaincodeSupport server, for tests that play the chaincode themselves. */
  public ManagedChannel channel() {
    ManagedChannel c = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    channels.add(c);
    return c;
  }

  // ---- transactions, built by devops as the peer builds them

  public static ChaincodeInput input(String... args) {
    ChaincodeInput.Builder b = ChaincodeInput.newBuilder();
    for (String a : args) {
      b.addArgs(ByteString.copyFromUtf8(a));
    }
    return b.build();
  }

  public static ChaincodeSpec spec(ChaincodeSpec.Type type, ChaincodeID id, String... args) {
    return ChaincodeSpec.newBuilder().setType(type).setChaincodeID(id).setCtorMsg(input(args)).build();
  }

  /** A deploy transaction for {@code spec}, packaged and named by chaincode support; its txid is the name. */
  public Transaction deployTx(ChaincodeSpec spec) throws ChaincodeException {
    ChaincodeDeploymentSpec cds = support.prepareDeploy(spec);
    return Transactions.deploy(cds, cds.getChaincodeSpec().getChaincodeID().getName(), Instant.now());
  }

  /** A network-mode deploy of a Java chaincode jar. */
  public Transaction deployTx(Path jar, String... args) throws ChaincodeException {
    return deployTx(spec(ChaincodeSpec.Type.JAVA, ChaincodeID.newBuilder().setPath(jar.toString()).build(), args));
  }

  /** A dev-mode deploy by name. */
  public Transaction deployTx(String name, String... args) throws ChaincodeException {
    return deployTx(spec(ChaincodeSpec.Type.JAVA, ChaincodeID.newBuilder().setName(name).build(), args));
  }

  public static Transaction invokeTx(String name, String... args) {
    return execution(Transaction.Type.CHAINCODE_INVOKE, name, args);
  }

  public static Transaction queryTx(String name, String... args) {
    return execution(Transaction.Type.CHAINCODE_QUERY, name, args);
  }

  private static Transaction execution(Transaction.Type type, String name, String... args) {
    ChaincodeSpec spec = spec(ChaincodeSpec.Type.JAVA, ChaincodeID.newBuilder().setName(name).build(), args);
    return Transactions.execute(type, ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build(),
        UUID.randomUUID().toString(), Instant.now());
  }

  // ---- execution, by the peer's own block loop

  /** A committed block and the transactions of its batch that failed (txid to reason, in order). */
  public record BlockOutcome(long number, Block block, Map<String, String> rejected) {
    public boolean committed(String txid) {
      return block.getTransactionsList().stream().anyMatch(t -> t.getTxid().equals(txid));
    }
  }

  /** An ordered transaction that failed: it is left out of its block and recorded with its reason. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String txid;

    Rejected(String txid, String reason) {
      super(reason);
      this.txid = txid;
    }

    public String txid() {
      return txid;
    }
  }

  /** Runs {@code txs} as one batch through the peer's executor and commits the block. */
  public BlockOutcome commit(List<Transaction> txs) {
    return commit(txs, state -> state);
  }

  /**
   * As {@link #commit(List)}, with each transaction's state seen through {@code stateHook}, e.g. to
   * hold a transaction inside a state read while the test acts.
   */
  public BlockOutcome commit(List<Transaction> txs, UnaryOperator<TxState> stateHook) {
    BatchOutcome outcome = new LedgerExecutor(ledger, new HookedChaincode(support, stateHook))
        .executeAndCommit(txs, new byte[0]);
    Map<String, String> rejected = new LinkedHashMap<>();
    outcome.rejected().forEach(r -> rejected.put(r.txid(), r.reason()));
    Block block = ledger.block(outcome.blockNumber()).orElseThrow(
        () -> new AssertionError("block " + outcome.blockNumber() + " was reported committed but is not stored"));
    return new BlockOutcome(outcome.blockNumber(), block, rejected);
  }

  /** Runs one transaction alone in a block; returns its txid, or throws {@link Rejected}. */
  public String run(Transaction tx) {
    BlockOutcome outcome = commit(List.of(tx));
    String reason = outcome.rejected().get(tx.getTxid());
    if (reason != null) {
      throw new Rejected(tx.getTxid(), reason);
    }
    return tx.getTxid();
  }

  /** Deploys a jar in a block of its own; returns the chaincode name (the deploy's txid). */
  public String deploy(Path jar, String... args) throws ChaincodeException {
    return run(deployTx(jar, args));
  }

  /** Dev mode: deploys chaincode {@code name} (started by the test) in a block of its own. */
  public String deploy(String name, String... args) throws ChaincodeException {
    return run(deployTx(name, args));
  }

  /** An invoke in a block of its own; returns its txid, or throws {@link Rejected}. */
  public String invoke(String name, String... args) {
    return run(invokeTx(name, args));
  }

  /** A query against committed state, as the engine runs it; the answer as UTF-8. */
  public String query(String name, String... args) throws ChaincodeException {
    return new String(query(queryTx(name, args)), StandardCharsets.UTF_8);
  }

  public byte[] query(Transaction tx) throws ChaincodeException {
    return support.query(tx, ledger.committedState());
  }

  /** The newest block. */
  public Block lastBlock() {
    return ledger.block(ledger.height() - 1).orElseThrow();
  }

  // ---- chaincode the test starts (dev mode)

  /**
   * Runs {@code chaincode} with the real shim on a thread of this JVM under {@code name}, and
   * returns once it registered; the future completes when the shim returns (true: the peer ended the
   * stream cleanly).
   */
  public CompletableFuture<Boolean> runInProcess(String name, Chaincode chaincode) {
    return runInProcess(new ShimOptions(address, name, false, null, null), chaincode);
  }

  public CompletableFuture<Boolean> runInProcess(ShimOptions shim, Chaincode chaincode) {
    CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
      try {
        return Shim.run(chaincode, shim);
      } catch (Exception e) {
        throw new IllegalStateException("chaincode " + shim.chaincodeName() + " failed: " + e.getMessage(), e);
      }
    });
    chaincodes.add(() -> ended.get(30, TimeUnit.SECONDS));
    Await.until(shim.chaincodeName() + " registered", Await.PATIENCE,
        () -> support.registered().contains(shim.chaincodeName()), new Await.Watch() {
          @Override
          public String hopeless() {
            return ended.isDone() ? "its shim returned: " + endedHow(ended) : null;
          }

          @Override
          public String describe() {
            return "";
          }
        });
    return ended;
  }

  /**
   * Starts a chaincode jar as a user does in dev mode ({@code CORE_CHAINCODE_ID_NAME},
   * {@code CORE_PEER_ADDRESS}) and returns once it registered.
   */
  public ChildProcess startJar(Path jar, String name) {
    ChildProcess cc = ChildProcess.javaJar(name, jar,
        Map.of("CORE_CHAINCODE_ID_NAME", name, "CORE_PEER_ADDRESS", address), dir, dir.resolve("logs"));
    // it ends by itself once the peer closed its stream; killed only if it does not
    chaincodes.add(() -> {
      try {
        cc.awaitExit(Duration.ofSeconds(30));
      } finally {
        cc.close();
      }
    });
    cc.await(name + " registered", () -> support.registered().contains(name));
    return cc;
  }

  private static String endedHow(CompletableFuture<Boolean> ended) {
    try {
      return String.valueOf(ended.getNow(null));
    } catch (RuntimeException e) {
      return e.getCause() == null ? e.toString() : e.getCause().toString();
    }
  }

  /**
   * Stops chaincode support (which ends every stream and the chaincode it launched), the server
   * and the ledger; then waits for chaincode the test started to end.
   */
  @Override
  public void close() {
    support.close();
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.close();
    for (AutoCloseable cc : chaincodes) {
      try {
        cc.close();
      } catch (Exception e) {
        throw new AssertionError("chaincode started by the test did not end with the peer: " + e, e);
      }
    }
  }

  /** The real chaincode support, with each transaction's state passed through a hook. */
  private record HookedChaincode(ChaincodeService real, UnaryOperator<TxState> hook) implements ChaincodeService {
    @Override
    public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
      return real.prepareDeploy(spec);
    }

    @Override
    public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
      return real.execute(tx, hook.apply(state));
    }

    @Override
    public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
      return real.query(tx, committed);
    }

    @Override
    public void close() {
      // the harness closes the real one
    }
  }
}
