package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.StateIterator;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** map, chaincode-to-chaincode, events and crash recovery, with real processes and ledger. */
class ChaincodesIT {
  @TempDir Path dir;
  TestPeer peer;

  @BeforeEach
  void start() throws Exception {
    peer = new TestPeer(dir);
  }

  @AfterEach
  void stop() throws Exception {
    peer.close();
    Await.until("no chaincode process is left", Duration.ofSeconds(10),
        () -> ProcessHandle.current().children().noneMatch(ChaincodesIT::isChaincode));
  }

  @Test
  void mapPutGetRemoveAndRangeQueriesAcrossPages() throws Exception {
    String name = peer.deploy("map", "init");
    // 250 keys: a full range spans three pages of 100 (RANGE_QUERY_STATE_NEXT)
    List<Transaction> puts = new ArrayList<>();
    IntStream.range(0, 250).forEach(i -> puts.add(TestPeer.invocation(
        Transaction.Type.CHAINCODE_INVOKE, name, "put", String.format("k%03d", i), "v" + i)));
    assertThat(peer.commitBlock(puts)).allMatch(o -> o.failure() == null);

    assertThat(peer.query(name, "get", "k042")).isEqualTo("v42");
    String all = peer.query(name, "keys");
    assertThat(all.split(",")).hasSize(250);
    assertThat(all).startsWith("[\"k000\",\"k001\"").endsWith("\"k249\"]");
    assertThat(peer.query(name, "keys", "k100", "k103"))
        .isEqualTo("[\"k100\",\"k101\",\"k102\",\"k103\"]");

    peer.invoke(name, "remove", "k101");
    assertThat(peer.query(name, "keys", "k100", "k103")).isEqualTo("[\"k100\",\"k102\",\"k103\"]");
    assertThat(peer.query(name, "get", "k101")).isEmpty();
    assertThatThrownBy(() -> peer.invoke(name, "put", "only-a-key"))
        .hasMessageEndingWith("put operation must include two arguments, a key and value");
    // the state lives in the chaincode's namespace of the real ledger
    try (StateIterator it = peer.ledger.committedState().range(name, "k248", "")) {
      assertThat(it.next().key()).isEqualTo("k248");
      assertThat(it.next().key()).isEqualTo("k249");
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void chaincodeInvokesAndQueriesAnotherChaincode() throws Exception {
    String ex02 = peer.deploy("example02", "init", "a", "100", "b", "200");
    String ex04 = peer.deploy("example04", "init", "Event", "1");

    peer.invoke(ex04, "invoke", ex02, "7");
    assertThat(peer.query(ex02, "query", "a")).isEqualTo("90");
    assertThat(peer.query(ex02, "query", "b")).isEqualTo("210");
    assertThat(peer.query(ex04, "query", "Event")).isEqualTo("7");
    assertThat(peer.query(ex04, "sum", ex02)).isEqualTo("300");

    // a failing callee fails the caller, and neither writes anything
    assertThatThrownBy(() -> peer.invoke(ex04, "invoke", "no-such-chaincode", "8"))
        .hasMessageContaining("Failed to invoke chaincode")
        .hasMessageContaining("Could not get deployment transaction for no-such-chaincode");
    assertThat(peer.query(ex04, "query", "Event")).isEqualTo("7");
  }

  @Test
  void invokeEmitsTheChaincodesEvent() throws Exception {
    String name = peer.deploy("eventsender", "init");
    ExecutionResult r = peer.invoke(name, "invoke", "hello", "world");
    assertThat(r.event()).isNotNull();
    assertThat(r.event().getEventName()).isEqualTo("evtsender");
    assertThat(r.event().getChaincodeID()).isEqualTo(name);
    assertThat(r.event().getTxID()).isNotEmpty();
    assertThat(r.event().getPayload().toString(StandardCharsets.UTF_8))
        .isEqualTo("Event 0,invoke,hello,world");
    assertThat(peer.query(name, "count")).isEqualTo("1");
    var block = peer.ledger.block(peer.ledger.height() - 1).orElseThrow();
    assertThat(block.getNonHashData().getChaincodeEventsList())
        .anyMatch(e -> e.getEventName().equals("evtsender"));
  }

  @Test
  void aChaincodeKilledMidTransactionFailsItWithTheReasonAndIsRelaunched() throws Exception {
    String name = peer.deploy("example02", "init", "a", "100", "b", "200");
    ProcessHandle first = chaincodeProcess(name).orElseThrow();

    // hold the transaction inside its first GET_STATE (the chaincode waits for that answer; its
    // writes it would not wait for), kill the chaincode there, then let go
    CountDownLatch inPut = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    Transaction tx =
        TestPeer.invocation(Transaction.Type.CHAINCODE_INVOKE, name, "invoke", "a", "b", "10");
    CompletableFuture<List<TestPeer.Outcome>> block = CompletableFuture.supplyAsync(() ->
        peer.commitBlock(List.of(tx), state -> new HoldingTxState(state, inPut, killed)));
    assertThat(inPut.await(30, TimeUnit.SECONDS)).isTrue();
    first.destroyForcibly();
    Await.until("the chaincode process is gone", Duration.ofSeconds(10), () -> !first.isAlive());
    killed.countDown();

    TestPeer.Outcome outcome = block.get(60, TimeUnit.SECONDS).get(0);
    assertThat(outcome.failure()).isInstanceOf(ChaincodeException.class);
    assertThat(outcome.failure().getMessage()).contains("chaincode " + name + " stopped");
    assertThat(peer.ledger.failure(tx.getTxid())).hasValueSatisfying(
        f -> assertThat(f.reason()).contains("chaincode " + name + " stopped"));
    assertThat(peer.ledger.committedState().get(name, "a")).asString().isEqualTo("100");

    // next use relaunches it from the deploy transaction in the ledger (READY, no INIT)
    peer.invoke(name, "invoke", "a", "b", "10");
    assertThat(peer.query(name, "query", "a")).isEqualTo("90");
    ProcessHandle second = chaincodeProcess(name).orElseThrow();
    assertThat(second.pid()).isNotEqualTo(first.pid());
  }

  private static Optional<ProcessHandle> chaincodeProcess(String name) {
    return ProcessHandle.current().children()
        .filter(p -> p.isAlive() && p.info().arguments().map(a -> List.of(a).contains(name))
            .orElse(false))
        .findFirst();
  }

  private static boolean isChaincode(ProcessHandle p) {
    return p.isAlive() && p.info().arguments().map(a -> List.of(a).contains("chaincode.jar"))
        .orElse(false);
  }

  /** The real TxState, with a hook that pauses the first read until the test has acted. */
  private static final class HoldingTxState implements TxState {
    private final TxState real;
    private final CountDownLatch reached;
    private final CountDownLatch release;

    HoldingTxState(TxState real, CountDownLatch reached, CountDownLatch release) {
      this.real = real;
      this.reached = reached;
      this.release = release;
    }

    @Override
    public void put(String chaincodeId, String key, byte[] value) {
      real.put(chaincodeId, key, value);
    }

    @Override
    public String txid() {
      return real.txid();
    }

    @Override
    public void delete(String chaincodeId, String key) {
      real.delete(chaincodeId, key);
    }

    @Override
    public void commit() {
      real.commit();
    }

    @Override
    public void discard() {
      real.discard();
    }

    @Override
    public byte[] get(String chaincodeId, String key) {
      reached.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real.get(chaincodeId, key);
    }

    @Override
    public StateIterator range(String chaincodeId, String startKey, String endKey) {
      return real.range(chaincodeId, startKey, endKey);
    }
  }
}
