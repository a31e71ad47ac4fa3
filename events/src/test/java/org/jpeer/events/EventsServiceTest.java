package org.jpeer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.events.EventHubTest.blocks;
import static org.jpeer.events.EventHubTest.chaincode;
import static org.jpeer.events.EventHubTest.commit;
import static org.jpeer.events.EventHubTest.rejections;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.config.HostPort;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Register;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.Unregister;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.EventConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code protos.Events/Chat} over real gRPC on loopback, driven as the original's Go consumer drives it. */
class EventsServiceTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private PeerLedger ledger;
  private EventHub hub;
  private EventsServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void start(HubSettings settings) throws Exception {
    ledger = Ledgers.open(dir, LedgerOptions.defaults());
    open.add(ledger);
    hub = LedgerHistory.hubFor(ledger, settings);
    open.add(hub);
    server = EventsServer.start("127.0.0.1", 0, hub);
    open.add(server);
  }

  private HostPort hubAddress() {
    return new HostPort("127.0.0.1", server.port());
  }

  private EventConsumer consumer(EventConsumer c) {
    open.add(c);
    return c;
  }

  private static Event register(Interest... interests) {
    return Event.newBuilder().setRegister(Register.newBuilder().addAllEvents(List.of(interests))).build();
  }

  @Test
  void registerIsEchoedThenEventsFlowAndUnregisterAndEmptyMessagesAreEchoedToo() throws Exception {
    start(HubSettings.of(100, 10));
    EventConsumer c = consumer(EventConsumer.connect(hubAddress()));
    Event reg = register(blocks(), rejections(), chaincode("cc", "e"),
        Interest.newBuilder().setEventType(EventType.CHAINCODE).build()); // refused, and still acknowledged
    c.send(reg);
    assertThat(c.next()).isEqualTo(reg);
    commit(ledger, List.of("t1"), List.of(EventHubTest.event("cc", "e", "t1")), List.of("t2"));
    assertThat(c.next().getRejection().getErrorMsg()).isEqualTo("boom t2");
    assertThat(c.next().getBlock().getTransactions(0).getTxid()).isEqualTo("t1");
    assertThat(c.next().getChaincodeEvent()).isEqualTo(EventHubTest.event("cc", "e", "t1"));
    Event unreg = Event.newBuilder().setUnregister(Unregister.newBuilder().addEvents(rejections())).build();
    c.send(unreg);
    assertThat(c.next()).isEqualTo(unreg);
    c.send(Event.getDefaultInstance());
    assertThat(c.next()).isEqualTo(Event.getDefaultInstance());
    commit(ledger, List.of("t3"), List.of(ChaincodeEvent.getDefaultInstance()), List.of("t4"));
    assertThat(c.next().getBlock().getTransactions(0).getTxid()).as("no rejection any more").isEqualTo("t3");
    c.complete();
    assertThat(c.end()).isEqualTo(Status.OK);
    Await.until("the registrations go with the stream", () -> hub.consumers() == 0);
  }

  @Test
  void aConsumerThatSendsABlockIsEndedWithInvalidArgumentAndOthersCarryOn() throws Exception {
    start(HubSettings.of(100, 10));
    EventConsumer bad = consumer(EventConsumer.connect(hubAddress()));
    EventConsumer good = consumer(EventConsumer.connect(hubAddress()));
    good.register(blocks());
    bad.send(Event.newBuilder().setBlock(org.jpeer.protos.Block.getDefaultInstance()).build());
    Status status = bad.end();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("a consumer may send only register and unregister events, not block");
    commit(ledger, "t1");
    assertThat(good.next().hasBlock()).isTrue();
  }

  @Test
  void replayStartsAtTheBlockInTheHeaderAndABadHeaderIsRefused() throws Exception {
    start(HubSettings.of(100, 10));
    commit(ledger, "t1");
    commit(ledger, "t2");
    EventConsumer c = consumer(EventConsumer.from(hubAddress(), 1));
    c.send(register(blocks()));
    assertThat(c.next().hasRegister()).isTrue();
    assertThat(c.next().getBlock().getTransactions(0).getTxid()).isEqualTo("t1");
    assertThat(c.next().getBlock().getTransactions(0).getTxid()).isEqualTo("t2");
    commit(ledger, "t3");
    assertThat(c.next().getBlock().getTransactions(0).getTxid()).isEqualTo("t3");

    Status status = consumer(EventConsumer.from(hubAddress(), -3)).end();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("jpeer-from-block must be a block number (0 or above), got \"-3\"");
  }

  @Test
  void aConsumerThatStopsReadingIsEndedWithResourceExhaustedWhileAnotherGetsEverything() throws Exception {
    start(HubSettings.of(3, -1));
    // the stuck consumer's connection takes 64 KiB, then gRPC flow control stops the hub's sends to it
    EventConsumer stuck = consumer(EventConsumer.withWindow(hubAddress(), 65_536));
    stuck.register(blocks());
    stuck.stopReading();
    EventConsumer reading = consumer(EventConsumer.connect(hubAddress()));
    reading.register(blocks());
    ByteString payload = ByteString.copyFrom(new byte[8 * 1024]);
    int blocksCommitted = 0;
    while (hub.endedForFallingBehind() == 0) {
      assertThat(blocksCommitted).as("the stuck consumer is ended within 200 blocks of 8 KiB").isLessThan(200);
      try (LedgerBatch batch = ledger.beginBatch()) {
        batch.commit(List.of(Transaction.newBuilder().setTxid("t" + blocksCommitted).setPayload(payload).build()),
            null, List.of(ChaincodeEvent.getDefaultInstance()), List.of());
      }
      blocksCommitted++;
      Event e = reading.next();
      assertThat(e.getBlock().getTransactions(0).getTxid()).isEqualTo("t" + (blocksCommitted - 1));
    }
    stuck.readAll(); // now read what was on its way: the end comes after it
    Status status = stuck.end();
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).startsWith("the consumer fell more than 3 blocks behind").contains("replay from block");
    assertThat(reading.idle()).isTrue();
  }
}
