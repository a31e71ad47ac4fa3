package org.jpeer.peer.network;

import org.jpeer.protos.PeerEndpoint;

/**
 * Told when a peer's stream is registered (after its DISC_HELLO) and when it is gone. Calls come
 * from one thread, in the order the changes happened; a listener should return quickly (hand the
 * news to its own event loop). A peer whose second stream replaces its first stays connected and is
 * not reported again.
 */
public interface MembershipListener {

  void peerConnected(PeerEndpoint peer);

  void peerDisconnected(PeerEndpoint peer);
}
