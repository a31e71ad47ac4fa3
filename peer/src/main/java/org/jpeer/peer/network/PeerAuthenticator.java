package org.jpeer.peer.network;

import com.google.protobuf.ByteString;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;

/**
 * Who may join, with {@code security.enabled}: every DISC_HELLO is signed by its sender's
 * enrolment key over the payload, and a received one must verify against the enrolment certificate
 * its {@code pkiID} names before the stream is registered. {@link #NONE} with security off.
 */
public interface PeerAuthenticator {
  /** Security off: hellos are neither signed nor checked, as the original. */
  PeerAuthenticator NONE = new PeerAuthenticator() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public ByteString sign(ByteString helloPayload) {
      return ByteString.EMPTY;
    }

    @Override
    public String refusal(PeerEndpoint claimed, Message hello) {
      return null;
    }
  };

  boolean enabled();

  /** The signature of a DISC_HELLO's payload; empty when security is off. */
  ByteString sign(ByteString helloPayload);

  /**
   * Why the DISC_HELLO of {@code claimed} is refused, or null when it may be registered. May block
   * (a certificate fetched from the membership service), so it runs off the transport's thread.
   */
  String refusal(PeerEndpoint claimed, Message hello);
}
