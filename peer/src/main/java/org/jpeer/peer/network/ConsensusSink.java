package org.jpeer.peer.network;

import org.jpeer.protos.Message;

/**
 * Where CONSENSUS messages from other peers go: {@code consenter::recvMsg}. Called from one thread
 * per stream, in the stream's order; it may block (a full consenter intake), which stops reading
 * from that stream only.
 */
@FunctionalInterface
public interface ConsensusSink {

  /** A peer without a consenter (non-validating) takes no CONSENSUS messages. */
  ConsensusSink NONE = (msg, sender) -> {};

  void recvMsg(Message msg, String senderPeerId);
}
