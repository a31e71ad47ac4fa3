package org.jpeer.peer.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Collection;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.HelloMessage;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeersMessage;

/** The {@code protos.Message} envelopes of Peer/Chat as the original fills them (protos.md §3.8). */
final class Messages {
  private Messages() {}

  /** DISC_HELLO: the only message besides CHAIN_TRANSACTION and SYNC_BLOCK_ADDED with a timestamp. */
  static Message hello(PeerEndpoint self, BlockchainInfo info, PeerAuthenticator authenticator) {
    HelloMessage hello = HelloMessage.newBuilder().setPeerEndpoint(self).setBlockchainInfo(info).build();
    ByteString payload = hello.toByteString();
    return Message.newBuilder()
        .setType(Message.Type.DISC_HELLO)
        .setTimestamp(now())
        .setPayload(payload)
        .setSignature(authenticator.sign(payload))
        .build();
  }

  static Message getPeers() {
    return Message.newBuilder().setType(Message.Type.DISC_GET_PEERS).build();
  }

  static Message peers(Collection<PeerEndpoint> peers) {
    return of(Message.Type.DISC_PEERS, PeersMessage.newBuilder().addAllPeers(peers).build());
  }

  static Message of(Message.Type type, MessageLite payload) {
    return Message.newBuilder().setType(type).setPayload(payload.toByteString()).build();
  }

  static Message of(Message.Type type, ByteString payload) {
    return Message.newBuilder().setType(type).setPayload(payload).build();
  }

  static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** "vp1 at 127.0.0.1:40123" for log lines. */
  static String describe(PeerEndpoint peer) {
    return peer.getID().getName() + " at " + peer.getAddress();
  }
}
