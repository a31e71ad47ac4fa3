package org.jpeer.peer.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.HelloMessage;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.protos.PeersMessage;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fabric v0.6 peer's side of {@code /protos.Peer/Chat}, as bytes: a client with a raw byte
 * marshaller (nothing of jpeer's network code) sends the messages of protos.md §3.7–§3.10 written
 * out by hand, against a whole jpeer peer, and checks the bytes that come back.
 */
class ChatWireCompatibilityTest {
  @TempDir Path dir;
  private InProcessPeer peer;
  private ManagedChannel channel;

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static final MethodDescriptor<byte[], byte[]> CHAT = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("protos.Peer/Chat")
      .setRequestMarshaller(RAW)
      .setResponseMarshaller(RAW)
      .build();

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (peer != null) {
      peer.close();
    }
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replace(" ", ""));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Blocks 1..3 of chaincode "mycc": k=v; k=w; k deleted and k2=x. */
  private static void fill(Path db) {
    try (PeerLedger ledger = Ledgers.open(db, LedgerOptions.defaults().withBuckets(1009, 5))) {
      String[][] writes = {{"k", "v"}, {"k", "w"}, {"k", null, "k2", "x"}};
      for (int n = 0; n < writes.length; n++) {
        try (LedgerBatch batch = ledger.beginBatch()) {
          TxState tx = batch.beginTx("t" + (n + 1));
          for (int i = 0; i < writes[n].length; i += 2) {
            if (writes[n][i + 1] == null) {
              tx.delete("mycc", writes[n][i]);
            } else {
              tx.put("mycc", writes[n][i], utf8(writes[n][i + 1]));
            }
          }
          tx.commit();
          batch.commit(List.of(Transaction.newBuilder().setTxid("t" + (n + 1)).build()), null, List.of(), List.of());
        }
      }
    }
  }

  private record Stream(StreamObserver<byte[]> out, BlockingQueue<byte[]> in) {
    byte[] next() throws InterruptedException {
      byte[] m = in.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a message within 20 s").isNotNull();
      return m;
    }

    /** The next message that is not the peer's own periodic DISC_GET_PEERS ({@code 08 03}). */
    byte[] nextOtherThanGetPeers() throws InterruptedException {
      while (true) {
        byte[] m = next();
        if (!hex(m).equals("0803")) {
          return m;
        }
      }
    }
  }

  private Stream open() {
    channel = NettyChannelBuilder.forAddress(peer.grpc().host(), peer.grpc().port()).usePlaintext().build();
    BlockingQueue<byte[]> in = new LinkedBlockingQueue<>();
    StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, CallOptions.DEFAULT),
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            in.add(value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    return new Stream(out, in);
  }

  @Test
  void helloDiscoveryAndSyncAsProtosMdDescribesThem() throws Exception {
    fill(dir.resolve("vp0").resolve("db"));
    peer = InProcessPeer.start(dir, "vp0", Map.of("CORE_REST_ENABLED", "false",
        "CORE_PEER_DISCOVERY_PERIOD", "1h"));
    Stream s = open();

    // DISC_HELLO (type 1) carrying HelloMessage{PeerEndpoint{ID{"vp9"}, "127.0.0.1:1", VALIDATOR}, BlockchainInfo{1}}
    HelloMessage hello = HelloMessage.newBuilder()
        .setPeerEndpoint(PeerEndpoint.newBuilder().setID(PeerID.newBuilder().setName("vp9"))
            .setAddress("127.0.0.1:1").setType(PeerEndpoint.Type.VALIDATOR))
        .setBlockchainInfo(BlockchainInfo.newBuilder().setHeight(1))
        .build();
    byte[] helloPayload = hello.toByteArray();
    // field 1 PeerEndpoint (22 bytes) { field 1 ID { field 1 "vp9" }, field 2 address, field 3 type 1 },
    // field 2 BlockchainInfo { height 1 }
    assertThat(hex(helloPayload)).isEqualTo("0a16" + "0a05" + "0a03" + hex(utf8("vp9")) + "120b"
        + hex(utf8("127.0.0.1:1")) + "1801" + "12020801");
    s.out().onNext(Message.newBuilder().setType(Message.Type.DISC_HELLO).setPayload(ByteString.copyFrom(helloPayload))
        .build().toByteArray());

    // the answer: its own DISC_HELLO, with a timestamp (field 2), its endpoint and its chain
    Message answer = Message.parseFrom(s.next());
    assertThat(answer.getType()).isEqualTo(Message.Type.DISC_HELLO);
    assertThat(answer.hasTimestamp()).isTrue();
    assertThat(answer.getSignature()).isEmpty();
    HelloMessage theirs = HelloMessage.parseFrom(answer.getPayload());
    assertThat(theirs.getPeerEndpoint().getID().getName()).isEqualTo("vp0");
    assertThat(theirs.getPeerEndpoint().getAddress()).isEqualTo(peer.grpc().toString());
    assertThat(theirs.getPeerEndpoint().getType()).isEqualTo(PeerEndpoint.Type.VALIDATOR);
    assertThat(theirs.getBlockchainInfo().getHeight()).isEqualTo(4);

    // once registered it asks for peers: Message{type 3} and nothing else
    assertThat(hex(s.next())).isEqualTo("0803");

    // DISC_GET_PEERS → DISC_PEERS (type 4) listing its registered streams: us
    s.out().onNext(hex("0803"));
    Message peers = Message.parseFrom(s.nextOtherThanGetPeers());
    assertThat(peers.getType()).isEqualTo(Message.Type.DISC_PEERS);
    assertThat(PeersMessage.parseFrom(peers.getPayload()).getPeersList()).containsExactly(hello.getPeerEndpoint());

    // SYNC_GET_BLOCKS (11) SyncBlockRange{correlationId 7, start 3, end 1}: three SYNC_BLOCKS (12), descending
    s.out().onNext(hex("080b 1a06 0807 1003 1801"));
    for (long n = 3; n >= 1; n--) {
      Message m = Message.parseFrom(s.nextOtherThanGetPeers());
      assertThat(m.getType()).isEqualTo(Message.Type.SYNC_BLOCKS);
      SyncBlocks blocks = SyncBlocks.parseFrom(m.getPayload());
      // range{correlationId 7, start n, end n} is the first field of the payload
      assertThat(hex(m.getPayload().toByteArray())).startsWith("0a06" + "0807" + "10" + "0" + n + "18" + "0" + n);
      assertThat(blocks.getBlocksList()).hasSize(1);
      Block b = blocks.getBlocks(0);
      assertThat(b.getTransactions(0).getTxid()).isEqualTo("t" + n);
      assertThat(b.hasNonHashData()).isTrue();
    }

    // SYNC_STATE_GET_DELTAS (16) {range{correlationId 9, start 2, end 3}}: SYNC_STATE_DELTAS (17) per block
    s.out().onNext(hex("0810 1a08 0a06 0809 1002 1803"));
    Message d2 = Message.parseFrom(s.nextOtherThanGetPeers());
    assertThat(d2.getType()).isEqualTo(Message.Type.SYNC_STATE_DELTAS);
    SyncStateDeltas deltas2 = SyncStateDeltas.parseFrom(d2.getPayload());
    assertThat(hex(deltas2.getRange().toByteArray())).isEqualTo("0809" + "1002" + "1802");
    // protos.md §11.1: 1 chaincode "mycc", 1 key "k", value present "w", previous present "v"
    assertThat(hex(deltas2.getDeltas(0).toByteArray()))
        .isEqualTo("01" + "04" + hex(utf8("mycc")) + "01" + "01" + hex(utf8("k")) + "01" + "01" + hex(utf8("w"))
            + "01" + "01" + hex(utf8("v")));
    SyncStateDeltas deltas3 = SyncStateDeltas.parseFrom(Message.parseFrom(s.nextOtherThanGetPeers()).getPayload());
    // "k" deleted (value absent = 00, previous "w"), "k2" = "x" (previous absent)
    assertThat(hex(deltas3.getDeltas(0).toByteArray()))
        .isEqualTo("01" + "04" + hex(utf8("mycc")) + "02" + "01" + hex(utf8("k")) + "00" + "01" + "01"
            + hex(utf8("w")) + "02" + hex(utf8("k2")) + "01" + "01" + hex(utf8("x")) + "00");

    // SYNC_STATE_GET_SNAPSHOT (14) {correlationId 5}: one SYNC_STATE_SNAPSHOT (15) per key, then a terminator
    s.out().onNext(hex("080e 1a02 0805"));
    Message piece = Message.parseFrom(s.nextOtherThanGetPeers());
    assertThat(piece.getType()).isEqualTo(Message.Type.SYNC_STATE_SNAPSHOT);
    // delta{mycc: k2 = x}, sequence 0 (not written), blockNumber 3, request{correlationId 5}
    String pieceDelta = "01" + "04" + hex(utf8("mycc")) + "01" + "02" + hex(utf8("k2")) + "01" + "01" + hex(utf8("x"))
        + "00";
    assertThat(hex(piece.getPayload().toByteArray()))
        .isEqualTo("0a" + String.format("%02x", pieceDelta.length() / 2) + pieceDelta + "1803" + "22020805");
    Message end = Message.parseFrom(s.nextOtherThanGetPeers());
    assertThat(hex(end.getPayload().toByteArray())).isEqualTo("1001" + "1803" + "22020805");
    assertThat(SyncStateSnapshot.parseFrom(end.getPayload()).getDelta()).isEmpty();
  }
}
