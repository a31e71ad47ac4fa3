package org.jpeer.examples;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.chaincode.ChaincodeSupport;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * The peer around chaincode support, as the peer module composes it: a real RocksDB ledger in a
 * temporary folder, a real gRPC server on 127.0.0.1 port 0, and chaincode support launching real
 * child processes that dial it.
 */
final class TestPeer implements AutoCloseable {
  static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "target"));

  final PeerLedger ledger;
  final ChaincodeSupport support;
  final ChaincodeOptions options;
  private final Server server;

  TestPeer(Path dir, UnaryOperator<ChaincodeOptions> configure) throws IOException {
    ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults());
    MutableHandlerRegistry services = new MutableHandlerRegistry();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .fallbackHandlerRegistry(services).maxInboundMessageSize(64 << 20)
        // as the peer runs chaincode streams (PeerNode): callbacks on the transport thread
        .directExecutor().build().start();
    options = configure.apply(ChaincodeOptions.defaults(dir, "127.0.0.1:" + server.getPort())
        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30)));
    support = new ChaincodeSupport(options, ledger::transaction, ledger::committedState);
    services.addService(support.grpcService());
  }

  TestPeer(Path dir) throws IOException {
    this(dir, o -> o);
  }

  static Path jar(String name) {
    return EXAMPLES.resolve(name + ".jar");
  }

  /** Deploys in a block of its own and returns the chaincode name. */
  String deploy(String jarName, String... args) throws ChaincodeException {
    ChaincodeDeploymentSpec cds = support.prepareDeploy(ChaincodeSpec.newBuilder()
        .setType(ChaincodeSpec.Type.JAVA)
        .setChaincodeID(ChaincodeID.newBuilder().setPath(jar(jarName).toString()))
        .setCtorMsg(input(args)).build());
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    Transaction tx = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY)
        .setChaincodeID(cds.getChaincodeSpec().getChaincodeID().toByteString())
        .setPayload(cds.toByteString()).setTxid(name).setTimestamp(now()).build();
    Outcome o = commitBlock(List.of(tx)).get(0);
    if (o.failure != null) {
      throw o.failure;
    }
    return name;
  }

  static Transaction invocation(Transaction.Type type, String name, String... args) {
    ChaincodeSpec spec = ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
        .setChaincodeID(ChaincodeID.newBuilder().setName(name)).setCtorMsg(input(args)).build();
    return Transaction.newBuilder().setType(type)
        .setChaincodeID(spec.getChaincodeID().toByteString())
        .setPayload(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build()
            .toByteString())
        .setTxid(UUID.randomUUID().toString()).setTimestamp(now()).build();
  }

  /** Runs one invoke in a block of its own; throws when it fails (the block is still written). */
  ExecutionResult invoke(String name, String... args) throws ChaincodeException {
    List<Outcome> outcomes = commitBlock(List.of(invocation(Transaction.Type.CHAINCODE_INVOKE,
        name, args)));
    Outcome o = outcomes.get(0);
    if (o.failure != null) {
      throw o.failure;
    }
    return o.result;
  }

  String query(String name, String... args) throws ChaincodeException {
    return new String(support.query(invocation(Transaction.Type.CHAINCODE_QUERY, name, args),
        ledger.committedState()), java.nio.charset.StandardCharsets.UTF_8);
  }

  record Outcome(ExecutionResult result, ChaincodeException failure) {}

  /** Executes the transactions in order on one batch, as the peer's executor does, and commits. */
  List<Outcome> commitBlock(List<Transaction> txs) {
    return commitBlock(txs, s -> s);
  }

  List<Outcome> commitBlock(List<Transaction> txs, UnaryOperator<TxState> wrap) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Transaction> ok = new ArrayList<>();
    List<ChaincodeEvent> events = new ArrayList<>();
    List<org.jpeer.ledger.TxFailure> failures = new ArrayList<>();
    try (LedgerBatch batch = ledger.beginBatch()) {
      for (Transaction tx : txs) {
        TxState state = batch.beginTx(tx.getTxid());
        try {
          ExecutionResult r = support.execute(tx, wrap.apply(state));
          state.commit();
          ok.add(tx);
          events.add(r.event() == null ? ChaincodeEvent.getDefaultInstance() : r.event());
          outcomes.add(new Outcome(r, null));
        } catch (ChaincodeException e) {
          state.discard();
          failures.add(new org.jpeer.ledger.TxFailure(tx.getTxid(), ledger.height(),
              e.getMessage()));
          outcomes.add(new Outcome(null, e));
        }
      }
      batch.commit(ok, new byte[0], events, failures);
    }
    return outcomes;
  }

  static ChaincodeInput input(String... args) {
    ChaincodeInput.Builder b = ChaincodeInput.newBuilder();
    for (String a : args) {
      b.addArgs(ByteString.copyFromUtf8(a));
    }
    return b.build();
  }

  static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Override
  public void close() {
    support.close();
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.close();
  }
}
