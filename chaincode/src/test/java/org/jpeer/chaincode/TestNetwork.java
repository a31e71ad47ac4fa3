package org.jpeer.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxFailure;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * A peer's chaincode side for tests: the real RocksDB ledger in a temporary folder, a real gRPC
 * server on 127.0.0.1 port 0 serving {@link ChaincodeSupport}, and helpers that execute blocks
 * the way the peer's executor does.
 */
final class TestNetwork implements AutoCloseable {
  final PeerLedger ledger;
  final ChaincodeSupport support;
  final ChaincodeOptions options;
  final String address;
  private final Server server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  TestNetwork(Path dir, UnaryOperator<ChaincodeOptions> configure) throws IOException {
    this(dir, configure, InsecureServerCredentials.create());
  }

  TestNetwork(Path dir, UnaryOperator<ChaincodeOptions> configure, ServerCredentials credentials)
      throws IOException {
    ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults());
    MutableHandlerRegistry services = new MutableHandlerRegistry();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .fallbackHandlerRegistry(services)
        // as the peer runs chaincode streams (PeerNode): callbacks on the transport thread
        .directExecutor().build().start();
    address = "127.0.0.1:" + server.getPort();
    options = configure.apply(ChaincodeOptions.defaults(dir, address)
        .withMode(ChaincodeOptions.Mode.DEV)
        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    support = new ChaincodeSupport(options, ledger::transaction, ledger::committedState);
    services.addService(support.grpcService());
  }

  ManagedChannel channel() {
    ManagedChannel c = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    channels.add(c);
    return c;
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

  /** A dev-mode deploy transaction for chaincode {@code name}. */
  Transaction deployTx(String name, String... args) throws ChaincodeException {
    ChaincodeDeploymentSpec cds = support.prepareDeploy(ChaincodeSpec.newBuilder()
        .setType(ChaincodeSpec.Type.GOLANG).setChaincodeID(ChaincodeID.newBuilder().setName(name))
        .setCtorMsg(input(args)).build());
    return Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY)
        .setChaincodeID(cds.getChaincodeSpec().getChaincodeID().toByteString())
        .setPayload(cds.toByteString()).setTxid(name).setTimestamp(now()).build();
  }

  static Transaction invocation(Transaction.Type type, String name, String... args) {
    ChaincodeSpec spec = ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.GOLANG)
        .setChaincodeID(ChaincodeID.newBuilder().setName(name)).setCtorMsg(input(args)).build();
    return Transaction.newBuilder().setType(type)
        .setChaincodeID(spec.getChaincodeID().toByteString())
        .setPayload(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build()
            .toByteString())
        .setTxid(UUID.randomUUID().toString()).setTimestamp(now()).build();
  }

  /** Executes {@code tx} alone in a block; returns its result or throws its failure. */
  ExecutionResult execute(Transaction tx) throws ChaincodeException {
    ChaincodeException failure = null;
    ExecutionResult result = null;
    try (LedgerBatch batch = ledger.beginBatch()) {
      TxState state = batch.beginTx(tx.getTxid());
      try {
        result = support.execute(tx, state);
        state.commit();
      } catch (ChaincodeException e) {
        state.discard();
        failure = e;
      }
      batch.commit(failure == null ? List.of(tx) : List.of(), new byte[0],
          failure == null ? List.of(result.event() == null ? ChaincodeEvent.getDefaultInstance()
              : result.event()) : List.of(),
          failure == null ? List.of() : List.of(new TxFailure(tx.getTxid(), ledger.height(),
              failure.getMessage())));
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  ExecutionResult invoke(String name, String... args) throws ChaincodeException {
    return execute(invocation(Transaction.Type.CHAINCODE_INVOKE, name, args));
  }

  String query(String name, String... args) throws ChaincodeException {
    return new String(support.query(invocation(Transaction.Type.CHAINCODE_QUERY, name, args),
        ledger.committedState()), StandardCharsets.UTF_8);
  }

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
  }
}
