package org.jpeer.peer.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.SyncSettings;
import org.jpeer.protos.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter that stops taking messages from one peer stops that peer's stream (HTTP/2 flow
 * control up to the sender's bounded queue) without losing a message, while other streams go on.
 */
class BackpressureTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeAll() throws Exception {
    release.countDown();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static NetworkOptions options(String id, int bufferSize, List<org.jpeer.config.HostPort> roots) {
    return new NetworkOptions(id, true, roots, Duration.ofMillis(200), false, Duration.ofMillis(200), 100, bufferSize,
        SyncSettings.defaults(), NetworkNode.MAX_MESSAGE_BYTES, Duration.ofSeconds(30));
  }

  @Test
  void aBlockedSinkStopsOneStreamWithoutDroppingAndOthersContinue() throws Exception {
    List<String> fromB = new CopyOnWriteArrayList<>();
    List<String> fromC = new CopyOnWriteArrayList<>();
    ConsensusSink sink = (msg, sender) -> {
      if (sender.equals("vp1")) {
        try {
          // the consenter's intake is full for vp1's messages (recvMsg may block)
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        fromB.add(msg.getPayload().substring(0, 8).toStringUtf8());
      } else {
        fromC.add(msg.getPayload().toStringUtf8());
      }
    };
    int limit = 10;
    NetworkNode a = NetworkNode.start(NetworkNode.openLedger(dir.resolve("a")), true, options("vp0", limit, List.of()),
        sink, 0);
    open.add(a);
    NetworkNode b = NetworkNode.start(NetworkNode.openLedger(dir.resolve("b")), true,
        options("vp1", 10_000, List.of(a.address())), (m, s) -> {}, 0);
    open.add(b);
    NetworkNode c = NetworkNode.start(NetworkNode.openLedger(dir.resolve("c")), true,
        options("vp2", 1000, List.of(a.address())), (m, s) -> {}, 0);
    open.add(c);
    Await.until("connected", () -> a.connectedIds().equals(List.of("vp1", "vp2"))
        && b.connectedIds().contains("vp0") && c.connectedIds().contains("vp0"));

    // 4000 messages of 1 KiB: far more than the receiver's 10 plus the transport's windows
    int count = 4000;
    byte[] filler = new byte[1024];
    for (int i = 0; i < count; i++) {
      ByteString payload = ByteString.copyFromUtf8(String.format("%08d", i)).concat(ByteString.copyFrom(filler));
      b.network().unicast(Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(payload).build(), "vp0");
    }
    Connection atReceiver = a.network().connection("vp1").orElseThrow();
    Connection atSender = b.network().connection("vp0").orElseThrow();
    Await.until("vp0 stops reading vp1's stream", () -> atReceiver.gate().paused()
        && atReceiver.gate().held(InboundGate.Kind.CONSENSUS) == limit, () -> atReceiver.gate().held(InboundGate.Kind.CONSENSUS));
    Await.until("vp1's queue backs up", () -> atSender.queuedOutbound() > 1000, atSender::queuedOutbound);

    // another stream to the same consenter is not held up
    for (int i = 0; i < 100; i++) {
      c.network().broadcast(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(ByteString.copyFromUtf8("c" + i)).build());
    }
    Await.until("vp2's messages delivered", () -> fromC.size() == 100, fromC::size);
    assertThat(fromB).isEmpty();

    release.countDown();
    Await.until("every message from vp1 delivered", Duration.ofSeconds(60), () -> fromB.size() == count, fromB::size);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(String.format("%08d", i));
    }
    assertThat(fromB).isEqualTo(expected);
    assertThat(b.network().stats().outboundDropped()).isZero();
    assertThat(fromC).startsWith("c0", "c1").endsWith("c99");
  }

  @Test
  void aFullOutboundQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    ConsensusSink stuck = (msg, sender) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    NetworkNode a = NetworkNode.start(NetworkNode.openLedger(dir.resolve("a")), true, options("vp0", 1, List.of()),
        stuck, 0);
    open.add(a);
    NetworkNode b = NetworkNode.start(NetworkNode.openLedger(dir.resolve("b")), true,
        options("vp1", 50, List.of(a.address())), (m, s) -> {}, 0);
    open.add(b);
    Await.until("connected", () -> b.connectedIds().equals(List.of("vp0")));
    byte[] big = new byte[64 * 1024];
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      b.network().broadcast(Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(ByteString.copyFrom(big))
          .build());
    }
    // 12.8 MB to a peer that reads nothing: the caller is never blocked, the excess is counted
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    Await.until("drops counted", () -> b.network().stats().outboundDropped() > 0, () -> b.network().stats());
  }
}
