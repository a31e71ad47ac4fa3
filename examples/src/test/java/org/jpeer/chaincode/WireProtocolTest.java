package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.ChaincodeSupportGrpc;
import org.jpeer.protos.PutStateInfo;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream as a chaincode built with Fabric v0.6's Go shim sees it, message by message: the
 * test plays the chaincode on a raw {@code Register} stream.
 */
class WireProtocolTest {
  @RegisterExtension final TestKit kit = new TestKit();
  ChaincodeHarness net;

  private void start(java.util.function.UnaryOperator<ChaincodeOptions> configure) {
    net = kit.own(ChaincodeHarness.start(kit.dir(), o -> configure.apply(o.withMode(ChaincodeOptions.Mode.DEV))));
  }

  /** A dev-mode deploy as a Go chaincode's user sends it. */
  private Transaction deployTx(String name, String... args) throws ChaincodeException {
    return net.deployTx(ChaincodeHarness.spec(ChaincodeSpec.Type.GOLANG, ChaincodeID.newBuilder().setName(name).build(),
        args));
  }

  /** One raw chaincode stream. */
  final class RawChaincode implements StreamObserver<ChaincodeMessage> {
    final BlockingQueue<ChaincodeMessage> received = new LinkedBlockingQueue<>();
    /** How the peer ended the stream: "completed" (cleanly), or the error. */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final StreamObserver<ChaincodeMessage> toPeer =
        ChaincodeSupportGrpc.newStub(net.channel()).register(this);

    ChaincodeMessage next() throws InterruptedException {
      ChaincodeMessage m = received.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("a message from the peer").isNotNull();
      return m;
    }

    synchronized void send(ChaincodeMessage m) {
      toPeer.onNext(m);
    }

    void register(String name) throws InterruptedException {
      send(ChaincodeMessage.newBuilder().setType(Type.REGISTER)
          .setPayload(ChaincodeID.newBuilder().setName(name).build().toByteString()).build());
      ChaincodeMessage registered = next();
      assertThat(registered.getType()).isEqualTo(Type.REGISTERED);
      assertThat(registered.getTxid()).isEmpty();
    }

    @Override
    public void onNext(ChaincodeMessage value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.complete("error: " + t);
    }

    @Override
    public void onCompleted() {
      closed.complete("completed");
      toPeer.onCompleted();
    }
  }

  static ChaincodeMessage msg(Type type, String txid, ByteString payload) {
    return ChaincodeMessage.newBuilder().setType(type).setTxid(txid).setPayload(payload).build();
  }

  @Test
  void deployInvokeQueryAsTheOriginalSendsThem() throws Exception {
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");

    Transaction deploy = deployTx("mycc", "init", "a", "100", "b", "200");
    CompletableFuture<String> deployed = async(() -> net.run(deploy));
    ChaincodeMessage init = cc.next();
    ByteString ctor = ChaincodeHarness.input("init", "a", "100", "b", "200").toByteString();
    assertThat(init.getType()).isEqualTo(Type.INIT);
    assertThat(init.getTxid()).isEqualTo("mycc");
    assertThat(init.getPayload()).isEqualTo(ctor);
    // the Go shim reads its arguments from here
    assertThat(init.getSecurityContext().getPayload()).isEqualTo(ctor);
    assertThat(init.getSecurityContext().getTxTimestamp()).isEqualTo(deploy.getTimestamp());

    cc.send(msg(Type.PUT_STATE, "mycc", PutStateInfo.newBuilder().setKey("a")
        .setValue(ByteString.copyFromUtf8("100")).build().toByteString()));
    ChaincodeMessage response = cc.next();
    assertThat(response.getType()).isEqualTo(Type.RESPONSE);
    assertThat(response.getTxid()).isEqualTo("mycc");
    assertThat(response.getPayload().isEmpty()).isTrue();
    cc.send(msg(Type.COMPLETED, "mycc", ByteString.EMPTY));
    deployed.get(30, TimeUnit.SECONDS);

    Transaction query = ChaincodeHarness.queryTx("mycc", "query", "a");
    CompletableFuture<byte[]> answer = async(() -> net.query(query));
    ChaincodeMessage q = cc.next();
    assertThat(q.getType()).isEqualTo(Type.QUERY);
    assertThat(q.getSecurityContext().getPayload()).isEqualTo(q.getPayload());
    assertThat(ChaincodeInput.parseFrom(q.getPayload()).getArgs(1).toStringUtf8()).isEqualTo("a");
    cc.send(msg(Type.GET_STATE, q.getTxid(), ByteString.copyFromUtf8("a")));
    assertThat(cc.next().getPayload().toStringUtf8()).isEqualTo("100");
    cc.send(msg(Type.GET_STATE, q.getTxid(), ByteString.copyFromUtf8("missing")));
    ChaincodeMessage missing = cc.next();
    assertThat(missing.getType()).isEqualTo(Type.RESPONSE);
    assertThat(missing.getPayload().isEmpty()).isTrue();
    cc.send(msg(Type.QUERY_COMPLETED, q.getTxid(), ByteString.copyFromUtf8("100")));
    assertThat(answer.get(30, TimeUnit.SECONDS)).asString().isEqualTo("100");
  }

  @Test
  void aWriteDuringAQueryIsRefusedAndEndsTheStreamAsTheOriginal() throws Exception {
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    CompletableFuture<String> deployed = deployAsync("mycc");
    cc.send(msg(Type.COMPLETED, cc.next().getTxid(), ByteString.EMPTY));
    deployed.get(30, TimeUnit.SECONDS);

    Transaction query = ChaincodeHarness.queryTx("mycc", "q");
    CompletableFuture<byte[]> answer = async(() -> net.query(query));
    ChaincodeMessage q = cc.next();
    cc.send(msg(Type.PUT_STATE, q.getTxid(), PutStateInfo.newBuilder().setKey("a")
        .setValue(ByteString.copyFromUtf8("1")).build().toByteString()));
    ChaincodeMessage refused = cc.next();
    assertThat(refused.getType()).isEqualTo(Type.ERROR);
    assertThat(refused.getPayload().toStringUtf8())
        .isEqualTo("Cannot handle PUT_STATE in query context");
    cc.closed.get(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
        .hasMessageContaining("chaincode mycc stopped");
    assertThat(net.ledger().committedState().get("mycc", "a")).isNull();
    Await.until("mycc deregistered", Duration.ofSeconds(10),
        () -> !net.support().registered().contains("mycc"));
  }

  @Test
  void aSecondRegistrationOfALiveNameIsRefused() throws Exception {
    start(o -> o);
    RawChaincode first = new RawChaincode();
    first.register("mycc");
    RawChaincode second = new RawChaincode();
    second.send(msg(Type.REGISTER, "", ChaincodeID.newBuilder().setName("mycc").build()
        .toByteString()));
    assertThat(second.closed.get(30, TimeUnit.SECONDS)).as("the peer ends the second stream").isEqualTo("completed");
    assertThat(second.received).isEmpty();
    assertThat(net.support().registered()).containsExactly("mycc");
    // the first stream still serves: a deploy runs its INIT over it
    CompletableFuture<String> deployed = deployAsync("mycc");
    ChaincodeMessage init = first.next();
    assertThat(init.getType()).isEqualTo(Type.INIT);
    first.send(msg(Type.COMPLETED, init.getTxid(), ByteString.EMPTY));
    assertThat(deployed.get(30, TimeUnit.SECONDS)).isEqualTo("mycc");
    assertThat(first.closed).isNotDone();
  }

  @Test
  void aMessageOutOfOrderEndsTheStream() throws Exception {
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    assertThat(net.support().registered()).containsExactly("mycc");
    cc.send(msg(Type.COMPLETED, "nothing", ByteString.EMPTY)); // no INIT was sent
    // the peer, not a broken connection, ends the stream, and answers nothing
    assertThat(cc.closed.get(30, TimeUnit.SECONDS)).isEqualTo("completed");
    assertThat(cc.received).isEmpty();
    Await.until("mycc deregistered", Duration.ofSeconds(10),
        () -> net.support().registered().isEmpty());
  }

  @Test
  void keepalivesAreSentWhenTheStreamIsIdle() throws Exception {
    start(o -> o.withKeepalive(Duration.ofSeconds(1)));
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    ChaincodeMessage keepalive = cc.next();
    assertThat(keepalive.getType()).isEqualTo(Type.KEEPALIVE);
    cc.send(keepalive); // the shim echoes it; the peer ignores the echo
    // ignored, not fatal: the stream stays open and idle, so the next keepalive comes
    assertThat(cc.next().getType()).isEqualTo(Type.KEEPALIVE);
    assertThat(cc.closed).isNotDone();
    assertThat(net.support().registered()).containsExactly("mycc");
  }

  @Test
  void backToBackRequestsOfOneTxidAreEachAnswered() throws Exception {
    // a chaincode sends its next request as soon as it has the reply to the previous one
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    CompletableFuture<String> deployed = deployAsync("mycc");
    String txid = cc.next().getTxid();
    for (int i = 0; i < 20; i++) {
      cc.send(msg(Type.PUT_STATE, txid, PutStateInfo.newBuilder().setKey("k" + i)
          .setValue(ByteString.copyFromUtf8("v")).build().toByteString()));
      assertThat(cc.next().getType()).isEqualTo(Type.RESPONSE);
    }
    cc.send(msg(Type.COMPLETED, txid, ByteString.EMPTY));
    deployed.get(30, TimeUnit.SECONDS);
    assertThat(net.ledger().committedState().get("mycc", "k19")).asString().isEqualTo("v");
  }

  /** A call into chaincode support that may fail with a ChaincodeException. */
  interface ChaincodeCall<T> {
    T call() throws ChaincodeException;
  }

  /** Runs {@code call} on another thread, so that the test can play the chaincode meanwhile. */
  static <T> CompletableFuture<T> async(ChaincodeCall<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (ChaincodeException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private CompletableFuture<String> deployAsync(String name) throws ChaincodeException {
    Transaction deploy = deployTx(name, "init");
    return async(() -> net.run(deploy));
  }

  private static ChaincodeMessage put(String txid, String key, String value) {
    return msg(Type.PUT_STATE, txid, PutStateInfo.newBuilder().setKey(key)
        .setValue(ByteString.copyFromUtf8(value)).build().toByteString());
  }

  @Test
  void writesSentWithoutWaitingForTheirAnswersAreAppliedInOrder() throws Exception {
    // jpeer's shim does not wait for the RESPONSE to PUT_STATE / DEL_STATE
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    CompletableFuture<String> deployed = deployAsync("mycc");
    String txid = cc.next().getTxid();
    for (int i = 0; i < 10; i++) {
      cc.send(put(txid, "k", "v" + i));
      cc.send(put(txid, "k" + i, "x"));
    }
    cc.send(msg(Type.DEL_STATE, txid, ByteString.copyFromUtf8("k3")));
    cc.send(msg(Type.GET_STATE, txid, ByteString.copyFromUtf8("k")));
    cc.send(msg(Type.COMPLETED, txid, ByteString.EMPTY));
    for (int i = 0; i < 21; i++) {
      assertThat(cc.next().getType()).as("answer to write %d", i).isEqualTo(Type.RESPONSE);
    }
    ChaincodeMessage read = cc.next();
    assertThat(read.getType()).isEqualTo(Type.RESPONSE);
    assertThat(read.getPayload().toStringUtf8()).as("a read sees the writes sent before it").isEqualTo("v9");
    deployed.get(30, TimeUnit.SECONDS);
    assertThat(net.ledger().committedState().get("mycc", "k")).asString().isEqualTo("v9");
    assertThat(net.ledger().committedState().get("mycc", "k3")).isNull();
    assertThat(net.ledger().committedState().get("mycc", "k9")).asString().isEqualTo("x");
  }

  @Test
  void aRefusedWriteFailsTheTransactionWhenItCompletes() throws Exception {
    start(o -> o);
    RawChaincode cc = new RawChaincode();
    cc.register("mycc");
    CompletableFuture<String> deployed = deployAsync("mycc");
    String txid = cc.next().getTxid();
    cc.send(put(txid, "a", "1"));
    cc.send(put(txid, "b", ""));
    cc.send(msg(Type.COMPLETED, txid, ByteString.EMPTY));
    assertThat(cc.next().getType()).isEqualTo(Type.RESPONSE);
    ChaincodeMessage refused = cc.next();
    assertThat(refused.getType()).isEqualTo(Type.ERROR);
    assertThat(deployed).failsWithin(30, TimeUnit.SECONDS)
        .withThrowableThat().withMessageContaining("An empty string key or a nil value is not supported");
    assertThat(net.ledger().committedState().get("mycc", "a")).as("the failed transaction's writes").isNull();
  }
}
