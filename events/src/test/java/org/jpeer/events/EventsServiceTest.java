package org.jpeer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.events.EventHubTest.blocks;
import static org.jpeer.events.EventHubTest.chaincode;
import static org.jpeer.events.EventHubTest.commit;
import static org.jpeer.events.EventHubTest.rejections;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.EventsGrpc;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Register;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.Unregister;
import org.jpeer.testkit.Await;
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

  private ManagedChannel channel(int window) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext();
    if (window > 0) {
      b.flowControlWindow(window);
    }
    ManagedChannel channel = b.build();
    open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  /** A consumer: what it received, in order, and how its stream ended (a Status, last). */
  private static final class Consumer implements StreamObserver<Event> {
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    StreamObserver<Event> requests;

    @Override
    public void onNext(Event value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      received.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      received.add(Status.OK);
    }

    Object next() throws InterruptedException {
      Object o = received.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(o).as("a message within " + Await.PATIENCE).isNotNull();
      return o;
    }

    Event nextEvent() throws InterruptedException {
      Object o = next();
      assertThat(o).isInstanceOf(Event.class);
      return (Event) o;
    }

    Status end() throws InterruptedException {
      while (true) {
        Object o = next();
        if (o instanceof Status s) {
          return s;
        }
      }
    }
  }

  private Consumer connect(ManagedChannel channel, Metadata headers) {
    Consumer c = new Consumer();
    EventsGrpc.EventsStub stub = EventsGrpc.newStub(channel);
    if (headers != null) {
      stub = stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    c.requests = stub.chat(c);
    return c;
  }

  private static Event register(Interest... interests) {
    return Event.newBuilder().setRegister(Register.newBuilder().addAllEvents(List.of(interests))).build();
  }

  @Test
  void registerIsEchoedThenEventsFlowAndUnregisterAndEmptyMessagesAreEchoedToo() throws Exception {
    start(HubSettings.of(100, 10));
    Consumer c = connect(channel(0), null);
    Event reg = register(blocks(), rejections(), chaincode("cc", "e"),
        Interest.newBuilder().setEventType(EventType.CHAINCODE).build()); // refused, and still acknowledged
    c.requests.onNext(reg);
    assertThat(c.nextEvent()).isEqualTo(reg);
    commit(ledger, List.of("t1"), List.of(EventHubTest.event("cc", "e", "t1")), List.of("t2"));
    assertThat(c.nextEvent().getRejection().getErrorMsg()).isEqualTo("boom t2");
    assertThat(c.nextEvent().getBlock().getTransactions(0).getTxid()).isEqualTo("t1");
    assertThat(c.nextEvent().getChaincodeEvent()).isEqualTo(EventHubTest.event("cc", "e", "t1"));
    Event unreg = Event.newBuilder().setUnregister(Unregister.newBuilder().addEvents(rejections())).build();
    c.requests.onNext(unreg);
    assertThat(c.nextEvent()).isEqualTo(unreg);
    c.requests.onNext(Event.getDefaultInstance());
    assertThat(c.nextEvent()).isEqualTo(Event.getDefaultInstance());
    commit(ledger, List.of("t3"), List.of(ChaincodeEvent.getDefaultInstance()), List.of("t4"));
    assertThat(c.nextEvent().getBlock().getTransactions(0).getTxid()).as("no rejection any more").isEqualTo("t3");
    c.requests.onCompleted();
    assertThat(c.end()).isEqualTo(Status.OK);
    Await.until("the registrations go with the stream", () -> hub.consumers() == 0);
  }

  @Test
  void aConsumerThatSendsABlockIsEndedWithInvalidArgumentAndOthersCarryOn() throws Exception {
    start(HubSettings.of(100, 10));
    ManagedChannel channel = channel(0);
    Consumer bad = connect(channel, null);
    Consumer good = connect(channel, null);
    good.requests.onNext(register(blocks()));
    good.nextEvent();
    bad.requests.onNext(Event.newBuilder().setBlock(org.jpeer.protos.Block.getDefaultInstance()).build());
    Status status = bad.end();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("a consumer may send only register and unregister events, not block");
    commit(ledger, "t1");
    assertThat(good.nextEvent().hasBlock()).isTrue();
  }

  @Test
  void replayStartsAtTheBlockInTheHeaderAndABadHeaderIsRefused() throws Exception {
    start(HubSettings.of(100, 10));
    commit(ledger, "t1");
    commit(ledger, "t2");
    Metadata from = new Metadata();
    from.put(EventsService.FROM_BLOCK, "1");
    Consumer c = connect(channel(0), from);
    c.requests.onNext(register(blocks()));
    assertThat(c.nextEvent().hasRegister()).isTrue();
    assertThat(c.nextEvent().getBlock().getTransactions(0).getTxid()).isEqualTo("t1");
    assertThat(c.nextEvent().getBlock().getTransactions(0).getTxid()).isEqualTo("t2");
    commit(ledger, "t3");
    assertThat(c.nextEvent().getBlock().getTransactions(0).getTxid()).isEqualTo("t3");

    Metadata bad = new Metadata();
    bad.put(EventsService.FROM_BLOCK, "-3");
    Status status = connect(channel(0), bad).end();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("jpeer-from-block must be a block number (0 or above), got \"-3\"");
  }

  @Test
  void aConsumerThatStopsReadingIsEndedWithResourceExhaustedWhileAnotherGetsEverything() throws Exception {
    start(HubSettings.of(3, -1));
    // the stuck consumer's connection takes 64 KiB, then gRPC flow control stops the hub's sends to it
    ManagedChannel small = channel(65_536);
    ClientCall<Event, Event> stuck = small.newCall(EventsGrpc.getChatMethod(), CallOptions.DEFAULT);
    BlockingQueue<Object> stuckReceived = new LinkedBlockingQueue<>();
    stuck.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(Event message) {
        stuckReceived.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        stuckReceived.add(status);
      }
    }, new Metadata());
    stuck.request(1); // the acknowledgement, and nothing after it
    stuck.sendMessage(register(blocks()));
    assertThat(stuckReceived.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Event.class);

    Consumer reading = connect(channel(0), null);
    reading.requests.onNext(register(blocks()));
    reading.nextEvent();
    ByteString payload = ByteString.copyFrom(new byte[8 * 1024]);
    int blocksCommitted = 0;
    while (hub.endedForFallingBehind() == 0) {
      assertThat(blocksCommitted).as("the stuck consumer is ended within 200 blocks of 8 KiB").isLessThan(200);
      try (LedgerBatch batch = ledger.beginBatch()) {
        batch.commit(List.of(Transaction.newBuilder().setTxid("t" + blocksCommitted).setPayload(payload).build()),
            null, List.of(ChaincodeEvent.getDefaultInstance()), List.of());
      }
      blocksCommitted++;
      Event e = reading.nextEvent();
      assertThat(e.getBlock().getTransactions(0).getTxid()).isEqualTo("t" + (blocksCommitted - 1));
    }
    stuck.request(Integer.MAX_VALUE); // now read what was on its way: the end comes after it
    Object last;
    do {
      last = stuckReceived.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(last).isNotNull();
    } while (last instanceof Event);
    Status status = (Status) last;
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).startsWith("the consumer fell more than 3 blocks behind").contains("replay from block");
    assertThat(reading.received).isEmpty();
  }
}
