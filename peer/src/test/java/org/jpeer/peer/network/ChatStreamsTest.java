package org.jpeer.peer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jpeer.config.HostPort;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.HelloMessage;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.protos.PeersMessage;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat streams between real network nodes (RocksDB, gRPC on 127.0.0.1 port 0). */
class ChatStreamsTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Records what the sink receives as "sender:payload". */
  static final class Recorder implements ConsensusSink {
    final List<String> got = new CopyOnWriteArrayList<>();

    @Override
    public void recvMsg(Message msg, String senderPeerId) {
      got.add(senderPeerId + ":" + msg.getPayload().toStringUtf8());
    }
  }

  private <T extends AutoCloseable> T open(T resource) {
    open.add(resource);
    return resource;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  static Message consensus(String text) {
    return Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(ByteString.copyFromUtf8(text)).build();
  }

  static Message hello(String id, HostPort address) {
    HelloMessage hello = HelloMessage.newBuilder()
        .setPeerEndpoint(PeerEndpoint.newBuilder().setID(PeerID.newBuilder().setName(id))
            .setAddress(address.toString()).setType(PeerEndpoint.Type.VALIDATOR))
        .setBlockchainInfo(BlockchainInfo.newBuilder().setHeight(1))
        .build();
    return Message.newBuilder().setType(Message.Type.DISC_HELLO).setPayload(hello.toByteString()).build();
  }

  @Test
  void handshakeRegistersBothSidesAndCarriesConsensusBothWays() throws Exception {
    Recorder atA = new Recorder();
    Recorder atB = new Recorder();
    NetworkNode a = open(NetworkNode.start(dir, "vp0", List.of(), atA));
    NetworkNode b = open(NetworkNode.start(dir, "vp1", List.of(a.address()), atB));
    Await.until("vp0 and vp1 connected", () -> a.connectedIds().equals(List.of("vp1"))
        && b.connectedIds().equals(List.of("vp0")));
    // membership news comes from its own thread, right after registration
    Await.until("listeners told", () -> a.events.equals(List.of("+vp1")) && b.events.equals(List.of("+vp0")),
        () -> a.events + " " + b.events);
    // each side knows the other's endpoint and chain from its DISC_HELLO
    assertThat(a.network().connectedPeers().get(0).getAddress()).isEqualTo(b.address().toString());
    assertThat(b.network().helloInfo("vp0")).contains(a.ledger.blockchainInfo());

    a.network().broadcast(consensus("from a"));
    b.network().unicast(consensus("from b"), "vp0");
    Await.until("messages delivered", () -> atA.got.contains("vp1:from b") && atB.got.contains("vp0:from a"));
    assertThatThrownBy(() -> a.network().unicast(consensus("x"), "vp9"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no peer vp9 is connected");

    b.close();
    open.remove(b);
    Await.until("vp0 sees vp1 gone", () -> a.connectedIds().isEmpty());
    Await.until("listener told", () -> a.events.equals(List.of("+vp1", "-vp1")), () -> a.events);
  }

  @Test
  void aSecondStreamForAConnectedPeerIdIsClosedWithAlreadyExists() throws Exception {
    Recorder sink = new Recorder();
    NetworkNode a = open(NetworkNode.start(dir, "vp0", List.of(), sink));
    NetworkNode b = open(NetworkNode.start(dir, "vp1", List.of(a.address()), new Recorder()));
    Await.until("connected", () -> a.connectedIds().equals(List.of("vp1")));

    RawChat imposter = open(new RawChat(a.address()));
    imposter.send(hello("vp1", new HostPort("127.0.0.1", 1)));
    Await.until("the duplicate closed", () -> imposter.closed != null);
    assertThat(imposter.closed.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(imposter.closed.getDescription()).contains("duplicate connection: peer vp1 is already connected");
    assertThat(a.network().stats().duplicatesRefused()).isEqualTo(1);
    // the registered stream is untouched
    b.network().unicast(consensus("still here"), "vp0");
    Await.until("delivered on the first stream", () -> sink.got.contains("vp1:still here"));
    assertThat(a.events).containsOnly("+vp1");
    assertThat(a.network().connectedPeers().get(0).getAddress()).isEqualTo(b.address().toString());

    // a stream that turns out to lead to the peer itself is closed after the answer
    RawChat mirror = open(new RawChat(a.address()));
    mirror.send(hello("vp0", a.address()));
    assertThat(HelloMessage.parseFrom(mirror.next(Message.Type.DISC_HELLO).getPayload()).getPeerEndpoint()
        .getID().getName()).isEqualTo("vp0");
    Await.until("the self stream closed", () -> mirror.closed != null);
    assertThat(mirror.closed.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void peersThatDialEachOtherAtOnceKeepOneStream() throws Exception {
    Recorder atA = new Recorder();
    Recorder atB = new Recorder();
    NetworkNode a = open(NetworkNode.bind(NetworkNode.openLedger(dir.resolve("a")), true, 0));
    NetworkNode b = open(NetworkNode.bind(NetworkNode.openLedger(dir.resolve("b")), true, 0));
    a.startNetwork(NetworkNode.options("vp0", List.of(b.address())), atA);
    b.startNetwork(NetworkNode.options("vp1", List.of(a.address())), atB);
    Await.until("connected", () -> a.connectedIds().equals(List.of("vp1")) && b.connectedIds().equals(List.of("vp0")));
    // whatever the race, both ends end up on one working stream
    Await.until("one stream left", () -> a.network().openStreams() == 1 && b.network().openStreams() == 1);
    for (int i = 0; i < 50; i++) {
      a.network().unicast(consensus("a" + i), "vp1");
      b.network().unicast(consensus("b" + i), "vp0");
    }
    Await.until("all delivered", () -> atA.got.size() == 50 && atB.got.size() == 50,
        () -> atA.got.size() + " / " + atB.got.size());
    assertThat(atB.got).startsWith("vp0:a0", "vp0:a1").endsWith("vp0:a49");
    assertThat(a.connectedIds()).containsExactly("vp1");
    Await.until("listeners end on connected", () -> !a.events.isEmpty() && !b.events.isEmpty()
        && a.events.get(a.events.size() - 1).equals("+vp1") && b.events.get(b.events.size() - 1).equals("+vp0"),
        () -> a.events + " " + b.events);
  }

  @Test
  void crossedStreamsWhoseAddressesDifferFromTheAdvertisedOnesConvergeToo() throws Exception {
    Recorder atA = new Recorder();
    Recorder atB = new Recorder();
    NetworkNode a = open(NetworkNode.bind(NetworkNode.openLedger(dir.resolve("a")), true, 0));
    NetworkNode b = open(NetworkNode.bind(NetworkNode.openLedger(dir.resolve("b")), true, 0));
    // "localhost" is not what the peers advertise, so neither knows it is dialling the other
    a.startNetwork(NetworkNode.options("vp0", List.of(new HostPort("localhost", b.address().port()))), atA);
    b.startNetwork(NetworkNode.options("vp1", List.of(new HostPort("localhost", a.address().port()))), atB);
    Await.until("one stream between them", () -> a.connectedIds().equals(List.of("vp1"))
        && b.connectedIds().equals(List.of("vp0")) && a.network().openStreams() == 1
        && b.network().openStreams() == 1, () -> a.network().openStreams() + " / " + b.network().openStreams());
    for (int i = 0; i < 20; i++) {
      a.network().unicast(consensus("a" + i), "vp1");
      b.network().unicast(consensus("b" + i), "vp0");
    }
    Await.until("all delivered", () -> atA.got.size() == 20 && atB.got.size() == 20,
        () -> atA.got.size() + " / " + atB.got.size());
  }

  @Test
  void badInputIsCountedAndIgnoredAndTheStreamStaysUsable() throws Exception {
    Recorder sink = new Recorder();
    NetworkNode a = open(NetworkNode.start(dir, "vp0", List.of(), sink));
    RawChat raw = open(new RawChat(a.address()));

    raw.send(consensus("too early"));
    raw.send(Message.newBuilder().setType(Message.Type.DISC_HELLO).setPayload(ByteString.copyFromUtf8("\u00ff\u00ff garbage")).build());
    raw.send(Message.newBuilder().setTypeValue(99).build());
    raw.send(Message.newBuilder().setType(Message.Type.DISC_GET_PEERS).build()); // before hello
    Await.until("counted", () -> {
      NetworkStats s = a.network().stats();
      return s.consensusBeforeHello() == 1 && s.malformed() == 1 && s.unexpected() == 2;
    }, () -> a.network().stats());
    assertThat(sink.got).isEmpty();

    raw.send(hello("vp7", new HostPort("127.0.0.1", 1)));
    raw.next(Message.Type.DISC_HELLO);
    Await.until("registered", () -> a.connectedIds().equals(List.of("vp7")));
    raw.send(Message.newBuilder().setType(Message.Type.DISC_PEERS).setPayload(ByteString.copyFrom(new byte[] {0x0a, 0x7f})).build());
    raw.send(Message.newBuilder().setType(Message.Type.CHAIN_TRANSACTION).build());
    raw.send(Message.newBuilder().setType(Message.Type.SYNC_GET_BLOCKS).setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff})).build());
    raw.send(hello("vp8", new HostPort("127.0.0.1", 2)));
    raw.send(consensus("in time"));
    Await.until("delivered", () -> sink.got.contains("vp7:in time"));
    // the sync request is decoded on the serving lane, after the others
    Await.until("counted", () -> a.network().stats().malformed() == 3, () -> a.network().stats());
    assertThat(a.network().stats().unexpected()).isEqualTo(4);
    assertThat(raw.closed).isNull();
    assertThat(a.connectedIds()).containsExactly("vp7");
    // still answering
    raw.send(Message.newBuilder().setType(Message.Type.DISC_GET_PEERS).build());
    assertThat(PeersMessage.parseFrom(raw.next(Message.Type.DISC_PEERS).getPayload()).getPeersList())
        .extracting(p -> p.getID().getName()).containsExactly("vp7");
  }

  @Test
  void aSilentStreamIsClosedAfterTheHelloTimeoutAndAnOversizedMessageOnlyEndsItsOwnStream() throws Exception {
    Recorder sink = new Recorder();
    NetworkNode a = open(NetworkNode.start(NetworkNode.openLedger(dir.resolve("a")), true,
        NetworkNode.options("vp0", List.of()).withHelloTimeout(java.time.Duration.ofMillis(300)), sink, 0));
    RawChat silent = open(new RawChat(a.address()));
    silent.send(Message.newBuilder().setType(Message.Type.DISC_GET_PEERS).build());
    Await.until("closed for silence", () -> silent.closed != null);
    assertThat(silent.closed.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(silent.closed.getDescription()).contains("no DISC_HELLO within");

    RawChat big = open(new RawChat(a.address()));
    big.send(hello("vp5", new HostPort("127.0.0.1", 5)));
    big.next(Message.Type.DISC_HELLO);
    big.send(consensus("x".repeat(NetworkNode.MAX_MESSAGE_BYTES + 1)));
    Await.until("the oversized stream ended", () -> big.closed != null);
    // the server resets the stream (the client sees CANCELLED or RESOURCE_EXHAUSTED)
    assertThat(big.closed.getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    Await.until("its peer unregistered", () -> a.connectedIds().isEmpty());

    RawChat next = open(new RawChat(a.address()));
    next.send(hello("vp6", new HostPort("127.0.0.1", 6))).send(consensus("fine"));
    Await.until("the next stream works", () -> sink.got.contains("vp6:fine"));
    assertThat(sink.got).containsExactly("vp6:fine");
  }
}
