package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.examples.ExampleJars.jar;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jpeer.ledger.StateIterator;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** map, chaincode-to-chaincode, events and crash recovery, with real processes and ledger. */
class ChaincodesIT {
  // also fails the test if a chaincode process outlives the peer
  @RegisterExtension final TestKit kit = new TestKit();
  ChaincodeHarness peer;

  @BeforeEach
  void start() {
    peer = kit.own(ChaincodeHarness.processRuntime(kit.dir()));
  }

  @Test
  void mapPutGetRemoveAndRangeQueriesAcrossPages() throws Exception {
    String name = peer.deploy(jar("map"), "init");
    // 250 keys: a full range spans three pages of 100 (RANGE_QUERY_STATE_NEXT)
    List<Transaction> puts = new ArrayList<>();
    IntStream.range(0, 250).forEach(i -> puts.add(ChaincodeHarness.invokeTx(
        name, "put", String.format("k%03d", i), "v" + i)));
    ChaincodeHarness.BlockOutcome block = peer.commit(puts);
    assertThat(block.rejected()).isEmpty();
    assertThat(block.block().getTransactionsCount()).isEqualTo(250);

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
        .hasMessage("Transaction or query returned with failure: put operation must include two arguments, a key and value");
    // the state lives in the chaincode's namespace of the real ledger
    try (StateIterator it = peer.ledger().committedState().range(name, "k248", "")) {
      assertThat(it.next().key()).isEqualTo("k248");
      assertThat(it.next().key()).isEqualTo("k249");
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void chaincodeInvokesAndQueriesAnotherChaincode() throws Exception {
    String ex02 = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");
    String ex04 = peer.deploy(jar("example04"), "init", "Event", "1");

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
    String name = peer.deploy(jar("eventsender"), "init");
    String txid = peer.invoke(name, "invoke", "hello", "world");
    // the event as the block stores it: named by the chaincode, stamped by the peer with the
    // chaincode's name and the transaction's id
    var block = peer.lastBlock();
    assertThat(block.getTransactions(0).getTxid()).isEqualTo(txid);
    assertThat(block.getNonHashData().getChaincodeEventsList()).containsExactly(ChaincodeEvent.newBuilder()
        .setChaincodeID(name).setTxID(txid).setEventName("evtsender")
        .setPayload(com.google.protobuf.ByteString.copyFrom("Event 0,invoke,hello,world", StandardCharsets.UTF_8))
        .build());
    assertThat(peer.query(name, "count")).isEqualTo("1");
  }

  @Test
  void aChaincodeKilledMidTransactionFailsItWithTheReasonAndIsRelaunched() throws Exception {
    String name = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");
    ProcessHandle first = chaincodeProcess(name).orElseThrow();

    // hold the transaction inside its first GET_STATE (the chaincode waits for that answer; its
    // writes it would not wait for), kill the chaincode there, then let go
    CountDownLatch inPut = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    Transaction tx = ChaincodeHarness.invokeTx(name, "invoke", "a", "b", "10");
    CompletableFuture<ChaincodeHarness.BlockOutcome> block = CompletableFuture.supplyAsync(() ->
        peer.commit(List.of(tx), state -> new HoldingTxState(state, inPut, killed)));
    assertThat(inPut.await(30, TimeUnit.SECONDS)).isTrue();
    first.destroyForcibly();
    Await.until("the chaincode process is gone", Duration.ofSeconds(10), () -> !first.isAlive());
    killed.countDown();

    ChaincodeHarness.BlockOutcome outcome = block.get(60, TimeUnit.SECONDS);
    assertThat(outcome.committed(tx.getTxid())).isFalse();
    assertThat(outcome.rejected().get(tx.getTxid())).startsWith("chaincode " + name + " stopped: its stream");
    assertThat(peer.ledger().failure(tx.getTxid()).orElseThrow().reason())
        .isEqualTo(outcome.rejected().get(tx.getTxid()));
    assertThat(peer.ledger().committedState().get(name, "a")).asString().isEqualTo("100");

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
        if (!release.await(30, TimeUnit.SECONDS)) {
          // fails the transaction with this text instead of the awaited "stopped": the test fails
          throw new IllegalStateException("the test never released the held read");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the read was held", e);
      }
      return real.get(chaincodeId, key);
    }

    @Override
    public StateIterator range(String chaincodeId, String startKey, String endKey) {
      return real.range(chaincodeId, startKey, endKey);
    }
  }
}
