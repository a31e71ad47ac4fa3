package org.jpeer.peer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.SystemTimer;
import org.jpeer.consensus.noops.Noops;
import org.jpeer.consensus.noops.NoopsConfig;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.executor.LedgerExecutor;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine and executor over a real RocksDB ledger and noops; the chaincode is a stand-in. */
class EngineTest {

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static Transaction invoke(String txid, String key) {
    return Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_INVOKE).setTxid(txid)
        .setPayload(ByteString.copyFromUtf8(key)).build();
  }

  private static Transaction query(String key) {
    return Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_QUERY).setTxid("q")
        .setPayload(ByteString.copyFromUtf8(key)).build();
  }

  private record Peer(PeerLedger ledger, Noops noops, Engine engine) {}

  private Peer peer(int capacity) {
    PeerLedger ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults().withBuckets(101, 5));
    toClose.add(ledger);
    CounterChaincode cc = new CounterChaincode();
    Noops noops = new Noops(NoopsConfig.DEFAULTS, capacity, new LedgerExecutor(ledger, cc),
        Network.ALONE, new SystemTimer("test-timer"));
    toClose.add(noops);
    return new Peer(ledger, noops, new Engine(ledger, cc, noops, capacity));
  }

  @Test
  void invokeIsCommittedAndQueryReadsCommittedState() throws Exception {
    Peer p = peer(10);
    p.noops().start();
    try {
      p.engine().submit(invoke("t1", "a"));
      Await.until("block 1 is committed", () -> p.ledger().height() == 2);
      assertThat(p.engine().query(query("a"))).asString().isEqualTo("1");
      Block b = p.ledger().block(1).orElseThrow();
      assertThat(b.getTransactionsList()).extracting(Transaction::getTxid).containsExactly("t1");
      assertThat(b.getNonHashData().getChaincodeEventsList()).hasSize(1);
      assertThat(b.getNonHashData().getChaincodeEvents(0).getEventName()).isEqualTo("inc");
      assertThatThrownBy(() -> p.engine().query(query("nothing"))).isInstanceOf(ChaincodeException.class);
    } finally {
      p.noops().close();
    }
  }

  @Test
  void failedTransactionIsLeftOutRecordedAndItsWritesDropped() throws Exception {
    Peer p = peer(10);
    p.noops().start();
    try {
      p.engine().submit(invoke("bad", "fail-x"));
      p.engine().submit(invoke("good", "b"));
      Await.until("bad is recorded failed and good committed",
          () -> p.ledger().failure("bad").isPresent() && p.ledger().transaction("good").isPresent());
      assertThat(p.ledger().failure("bad").orElseThrow().reason()).contains("counter refuses key fail-x");
      assertThat(p.ledger().transaction("bad")).isEmpty();
      assertThat(p.ledger().committedState().get(CounterChaincode.CC, "fail-x")).isNull();
      assertThat(p.ledger().failure("bad").orElseThrow().blockNumber()).isEqualTo(1);
      assertThat(p.ledger().block(1).orElseThrow().getNonHashData().getChaincodeEventsList())
          .containsExactly(org.jpeer.protos.ChaincodeEvent.getDefaultInstance());
      assertThat(p.engine().query(query("b"))).asString().isEqualTo("1");
    } finally {
      p.noops().close();
    }
  }

  @Test
  void queriesAndUnknownTypesAreNotOrdered() {
    Peer p = peer(10);
    assertThatThrownBy(() -> p.engine().submit(query("a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CHAINCODE_QUERY");
    p.noops().close();
  }

  @Test
  void fullQueueRefusesClearlyAndEveryAcceptedInvokeIsCommittedOrRecorded() throws Exception {
    // Not started: nothing drains, so the queue must fill at exactly its capacity.
    Peer p = peer(5);
    List<String> accepted = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String key = i % 4 == 0 ? "fail" + i : "k";
      try {
        p.engine().submit(invoke("t" + i, key));
        accepted.add("t" + i);
      } catch (EngineBusyException e) {
        refusals.add(e.getMessage());
      }
    }
    assertThat(accepted).hasSize(5);
    assertThat(refusals).hasSize(7).allSatisfy(m -> assertThat(m)
        .contains("peer.validator.consensus.buffersize=5").contains("retry later"));
    assertThat(p.engine().pending()).isEqualTo(5);
    p.noops().start();
    p.noops().close(); // drains
    for (String txid : accepted) {
      assertThat(p.ledger().transaction(txid).isPresent() || p.ledger().failure(txid).isPresent())
          .as("accepted %s is committed or recorded failed", txid).isTrue();
    }
    assertThat(accepted).filteredOn(t -> p.ledger().failure(t).isPresent()).containsExactly("t0", "t4");
    assertThat(p.engine().query(query("k"))).asString().isEqualTo("3");
    assertThatThrownBy(() -> p.engine().submit(invoke("late", "k")))
        .isInstanceOf(EngineBusyException.class).hasMessageContaining("shutting down");
  }

  @Test
  void queriesAreRefusedWhileTheConsenterReplacesTheState() throws Exception {
    PeerLedger ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults().withBuckets(101, 5));
    toClose.add(ledger);
    org.jpeer.consensus.Consenter transferring = new org.jpeer.consensus.Consenter() {
      @Override
      public void start() {}

      @Override
      public boolean submit(Transaction tx) {
        return false;
      }

      @Override
      public void recvMsg(org.jpeer.protos.Message msg, String senderPeerId) {}

      @Override
      public int pending() {
        return 0;
      }

      @Override
      public boolean queriesAllowed() {
        return false;
      }

      @Override
      public void close() {}
    };
    Engine engine = new Engine(ledger, new CounterChaincode(), transferring, 1);
    assertThatThrownBy(() -> engine.query(query("a"))).isInstanceOf(ChaincodeException.class)
        .hasMessage(" state may be inconsistent, cannot query");
  }
}
