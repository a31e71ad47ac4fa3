package org.jpeer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeReg;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub over a real RocksDB ledger, with sinks that read or stop reading as the test says. */
class EventHubTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private PeerLedger ledger(String name) {
    PeerLedger ledger = Ledgers.open(dir.resolve(name), LedgerOptions.defaults());
    open.add(ledger);
    return ledger;
  }

  private EventHub hub(PeerLedger ledger, HubSettings settings) {
    EventHub hub = LedgerHistory.hubFor(ledger, settings);
    open.add(hub);
    return hub;
  }

  static Interest blocks() {
    return Interest.newBuilder().setEventType(EventType.BLOCK).build();
  }

  static Interest rejections() {
    return Interest.newBuilder().setEventType(EventType.REJECTION).build();
  }

  static Interest chaincode(String id, String name) {
    return Interest.newBuilder().setEventType(EventType.CHAINCODE)
        .setChaincodeRegInfo(ChaincodeReg.newBuilder().setChaincodeID(id).setEventName(name)).build();
  }

  static Transaction tx(String txid) {
    return Transaction.newBuilder().setTypeValue(2).setTxid(txid).build();
  }

  static ChaincodeEvent event(String cc, String name, String txid) {
    return ChaincodeEvent.newBuilder().setChaincodeID(cc).setEventName(name).setTxID(txid)
        .setPayload(ByteString.copyFromUtf8("p")).build();
  }

  /** Commits one block of {@code ok} (each emitting the matching event, or none) and {@code failed}. */
  static Block commit(PeerLedger ledger, List<String> ok, List<ChaincodeEvent> events, List<String> failed) {
    try (LedgerBatch batch = ledger.beginBatch()) {
      List<ChaincodeEvent> all = new ArrayList<>(events);
      failed.forEach(f -> all.add(ChaincodeEvent.getDefaultInstance()));
      return batch.commit(ok.stream().map(EventHubTest::tx).toList(), null, all,
          failed.stream().map(f -> new FailedTx(tx(f), "boom " + f)).toList());
    }
  }

  static Block commit(PeerLedger ledger, String txid) {
    return commit(ledger, List.of(txid), List.of(ChaincodeEvent.getDefaultInstance()), List.of());
  }

  private static RecordingSink subscribe(EventHub hub, OptionalLong from, Interest... interests) throws Exception {
    RecordingSink sink = new RecordingSink();
    Subscription s = hub.subscribe(sink, from);
    sink.subscription = s;
    s.register(List.of(interests), null);
    return sink;
  }

  private static void awaitLines(RecordingSink sink, int n) {
    Await.until(n + " events", () -> sink.size() >= n);
  }

  private static List<String> blockLines(RecordingSink sink) {
    return sink.lines().stream().filter(l -> l.contains(" block ")).map(l -> l.substring(0, l.indexOf(' '))).toList();
  }

  @Test
  void aBlocksEventsComeAsRejectionsThenTheBlockThenChaincodeEventsAndOnlyToThoseWhoRegistered() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, HubSettings.of(100, 10));
    RecordingSink all = subscribe(hub, OptionalLong.empty(), blocks(), rejections(), chaincode("cc", ""));
    RecordingSink named = subscribe(hub, OptionalLong.empty(), chaincode("cc", "b"));
    RecordingSink other = subscribe(hub, OptionalLong.empty(), chaincode("other", ""));
    commit(ledger, List.of("t1", "t2", "t3"), List.of(event("cc", "a", "t1"), event("cc", "b", "t2"),
        ChaincodeEvent.getDefaultInstance()), List.of("t4"));
    commit(ledger, "t5");

    awaitLines(all, 5);
    assertThat(all.lines()).containsExactly("1.0 rejection t4 boom t4", "1.1 block t1", "1.2 chaincode cc/a t1",
        "1.3 chaincode cc/b t2", "2.0 block t5");
    awaitLines(named, 1);
    assertThat(named.lines()).containsExactly("1.3 chaincode cc/b t2");
    assertThat(other.lines()).isEmpty();
    assertThat(all.events().get(0).getRejection().getTx()).isEqualTo(tx("t4"));
  }

  @Test
  void aConsumerSeesTheBlocksCommittedAfterItRegisteredAndNothingBefore() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, HubSettings.of(100, 10));
    RecordingSink unregistered = new RecordingSink();
    Subscription idle = hub.subscribe(unregistered, OptionalLong.empty());
    commit(ledger, "before");
    RecordingSink sink = subscribe(hub, OptionalLong.empty(), blocks());
    commit(ledger, "after");
    awaitLines(sink, 1);
    assertThat(sink.lines()).containsExactly("2.0 block after");
    idle.register(List.of(blocks()), Event.getDefaultInstance());
    commit(ledger, "later");
    awaitLines(unregistered, 2);
    assertThat(unregistered.lines()).containsExactly("ack empty", "3.0 block later");
  }

  @Test
  void replayFromBlockZeroGivesEveryBlockOnceInOrderThenLiveOnesWithNoGapWhileCommitsGoOn() throws Exception {
    PeerLedger ledger = ledger("l");
    // a small buffer: most of the replay is read from the ledger; timeout 0, so that the live consumer
    // too reads from the ledger when this thread commits faster than it is sent to
    EventHub hub = hub(ledger, HubSettings.of(4, 0));
    RecordingSink live = subscribe(hub, OptionalLong.empty(), blocks(), rejections(), chaincode("cc", ""));
    for (int i = 1; i <= 40; i++) {
      commit(ledger, List.of("t" + i), List.of(event("cc", "e", "t" + i)), i % 7 == 0 ? List.of("f" + i) : List.of());
    }
    awaitLines(live, 40 * 2 + 5);
    RecordingSink replay = subscribe(hub, OptionalLong.of(0), blocks(), rejections(), chaincode("cc", ""));
    for (int i = 41; i <= 60; i++) {
      commit(ledger, "t" + i);
    }
    awaitLines(replay, 1 + 40 * 2 + 5 + 20);
    // a block's place among its events is 1 where a rejection comes first (every 7th of the first 40)
    assertThat(blockLines(replay)).containsExactlyElementsOf(IntStream.rangeClosed(0, 60)
        .mapToObj(n -> n + "." + (n > 0 && n <= 40 && n % 7 == 0 ? 1 : 0)).toList());
    // what the ledger gives back is what was published live
    assertThat(replay.lines().subList(1, 1 + 40 * 2 + 5)).containsExactlyElementsOf(live.lines().subList(0, 40 * 2 + 5));
    assertThat(replay.ending()).isNull();
  }

  @Test
  void aConsumerThatStopsReadingIsEndedWithoutHoldingUpOthersOrCommits() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, HubSettings.of(3, -1));
    RecordingSink stuck = subscribe(hub, OptionalLong.empty(), blocks());
    RecordingSink reading = subscribe(hub, OptionalLong.empty(), blocks());
    stuck.ready(false);
    for (int i = 1; i <= 10; i++) {
      commit(ledger, "t" + i);
      awaitLines(reading, i); // commits no faster than a reading consumer reads, so only the stuck one lags
    }
    Await.until("the stuck consumer is ended", () -> stuck.ending() != null);
    assertThat(stuck.ending().reason()).isEqualTo(Ending.Reason.FELL_BEHIND);
    assertThat(stuck.ending().message()).contains("fell more than 3 blocks behind (peer.validator.events.buffersize)")
        .contains("it was at block 1 when block 4 was committed").contains("replay from block 1");
    assertThat(reading.ending()).isNull();
    assertThat(hub.consumers()).isEqualTo(1);
    assertThat(hub.endedForFallingBehind()).isEqualTo(1);
  }

  @Test
  void withTimeoutZeroASlowConsumerIsNeverEndedAndCatchesUpFromTheLedger() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, HubSettings.of(2, 0));
    RecordingSink slow = subscribe(hub, OptionalLong.empty(), blocks());
    slow.ready(false);
    for (int i = 1; i <= 20; i++) {
      commit(ledger, "t" + i);
    }
    assertThat(slow.ending()).isNull();
    slow.ready(true);
    awaitLines(slow, 20);
    assertThat(blockLines(slow)).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(n -> n + ".0").toList());
    assertThat(slow.ending()).isNull();
  }

  @Test
  void withATimeoutAboveZeroASlowConsumerHasThatLongToCatchUp() throws Exception {
    PeerLedger ledger = ledger("l");
    AtomicLong now = new AtomicLong(1_000);
    EventHub hub = new EventHub(new LedgerHistory(ledger), HubSettings.of(2, 500), now::get);
    open.add(hub);
    ledger.addListener(new org.jpeer.ledger.LedgerListener() {
      @Override
      public void committed(long number, Block block, List<FailedTx> failed) {
        hub.committed(number, block, LedgerHistory.rejections(failed));
      }

      @Override
      public void stored(long number, Block block) {
        hub.received(number);
      }
    });
    RecordingSink slow = subscribe(hub, OptionalLong.empty(), blocks());
    slow.ready(false);
    for (int i = 1; i <= 6; i++) {
      commit(ledger, "t" + i);
    }
    now.addAndGet(500);
    commit(ledger, "t7");
    assertThat(slow.ending()).as("still within the 500 ms").isNull();
    now.addAndGet(1);
    commit(ledger, "t8");
    Await.until("the slow consumer is ended", () -> slow.ending() != null);
    assertThat(slow.ending().reason()).isEqualTo(Ending.Reason.FELL_BEHIND);
  }

  @Test
  void blocksStoredByStateTransferArePublishedInOrderOnceContiguousWithoutChaincodeEvents() throws Exception {
    PeerLedger source = ledger("source");
    List<Block> blocksOfSource = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      blocksOfSource.add(commit(source, List.of("t" + i), List.of(event("cc", "e", "t" + i)), List.of()));
    }
    PeerLedger target = ledger("target");
    EventHub hub = hub(target, HubSettings.of(2, -1)); // the jump of 6 blocks is not the consumer's fault
    RecordingSink sink = subscribe(hub, OptionalLong.empty(), blocks(), chaincode("cc", ""));
    for (int n = 6; n >= 2; n--) {
      target.putRawBlock(blocksOfSource.get(n - 1), n);
    }
    assertThat(hub.nextBlock()).as("block 1 is still missing").isEqualTo(1);
    target.putRawBlock(blocksOfSource.get(0), 1);
    awaitLines(sink, 6);
    assertThat(sink.lines()).containsExactly("1.0 block t1", "2.0 block t2", "3.0 block t3", "4.0 block t4",
        "5.0 block t5", "6.0 block t6");
    assertThat(sink.ending()).isNull();
  }

  @Test
  void aCommitAboveABlockStillMissingSkipsIt() throws Exception {
    PeerLedger source = ledger("source");
    commit(source, "t1");
    commit(source, "t2");
    Block three = commit(source, "t3");
    PeerLedger target = ledger("target");
    EventHub hub = hub(target, HubSettings.of(100, -1));
    RecordingSink sink = subscribe(hub, OptionalLong.empty(), blocks());
    target.putRawBlock(three, 3);
    commit(target, "t4");
    awaitLines(sink, 2);
    assertThat(sink.lines()).containsExactly("3.0 block t3", "4.0 block t4");
  }

  @Test
  void aRegistrationSkipsTheInterestsItCannotServeAndKeepsTheOthers() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, HubSettings.of(100, 10));
    RecordingSink sink = new RecordingSink();
    Subscription s = hub.subscribe(sink, OptionalLong.empty());
    List<String> refused = s.register(List.of(
        Interest.newBuilder().setEventType(EventType.REGISTER).build(),
        Interest.newBuilder().setEventTypeValue(9).build(),
        Interest.newBuilder().setEventType(EventType.CHAINCODE).build(),
        chaincode("", "x"),
        blocks(), blocks()), Event.newBuilder().setRegister(org.jpeer.protos.Register.getDefaultInstance()).build());
    assertThat(refused).containsExactly(
        "event type REGISTER has no events (BLOCK, CHAINCODE and REJECTION have)",
        "event type 9 has no events (BLOCK, CHAINCODE and REJECTION have)",
        "a CHAINCODE interest needs chaincodeRegInfo with a chaincodeID",
        "a CHAINCODE interest needs chaincodeRegInfo with a chaincodeID",
        "already registered for BLOCK events");
    commit(ledger, "t1");
    awaitLines(sink, 2);
    assertThat(sink.lines()).containsExactly("ack register", "1.0 block t1");
    assertThat(s.unregister(List.of(blocks(), rejections()), null)).containsExactly("not registered for REJECTION events");
    commit(ledger, "t2");
    s.acknowledge(Event.getDefaultInstance());
    awaitLines(sink, 3);
    assertThat(sink.lines()).containsExactly("ack register", "1.0 block t1", "ack empty");
  }

  @Test
  void theHubRefusesConsumersBeyondItsLimitAndEndsAllWhenClosed() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, new HubSettings(10, 10, 2, 10, 60_000));
    RecordingSink a = subscribe(hub, OptionalLong.empty(), blocks());
    RecordingSink b = subscribe(hub, OptionalLong.empty(), blocks());
    assertThatThrownBy(() -> hub.subscribe(new RecordingSink(), OptionalLong.empty()))
        .isInstanceOf(SubscribeRefused.class).hasMessage("the event hub already serves 2 consumers, its limit");
    assertThatThrownBy(() -> hub.subscribe(new RecordingSink(), OptionalLong.of(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    hub.close();
    Await.until("both ended", () -> a.ending() != null && b.ending() != null);
    assertThat(a.ending()).isEqualTo(new Ending(Ending.Reason.HUB_CLOSED, "the peer is shutting down"));
    assertThatThrownBy(() -> hub.subscribe(new RecordingSink(), OptionalLong.empty()))
        .hasMessage("the peer is shutting down");
    commit(ledger, "after close"); // the ledger's listener is still there and must not fail the commit
    assertThat(ledger.height()).isEqualTo(2);
  }

  @Test
  void anIdleConsumerGetsHeartbeats() throws Exception {
    PeerLedger ledger = ledger("l");
    EventHub hub = hub(ledger, new HubSettings(10, 10, 10, 10, 5));
    RecordingSink idle = subscribe(hub, OptionalLong.empty(), blocks());
    Await.until("a heartbeat", () -> idle.heartbeats() >= 2);
    assertThat(idle.lines()).isEmpty();
  }
}
