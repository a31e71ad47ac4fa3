package org.jpeer.consensus;

import org.jpeer.protos.Message;

/** How a consenter reaches the other validating peers. */
public interface Network {

  /** A network of one: there is nobody to send to. */
  Network ALONE = new Network() {
    @Override
    public void broadcast(Message msg) {}

    @Override
    public void unicast(Message msg, String receiverPeerId) {
      throw new IllegalArgumentException("no peer " + receiverPeerId + " is connected");
    }
  };

  /** Sends {@code msg} to every connected validating peer. */
  void broadcast(Message msg);

  /**
   * Sends {@code msg} to one connected peer.
   *
   * @throws IllegalArgumentException when no peer of that name is connected
   */
  void unicast(Message msg, String receiverPeerId);
}
