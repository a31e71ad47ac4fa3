package org.jpeer.events;

import org.jpeer.protos.Event;

/**
 * Where one subscription's events go (a gRPC stream, a Server-Sent Events response). The hub calls
 * it from one thread at a time, and never calls {@link #send} unless {@link #isReady} said true; a
 * sink that was not ready calls {@link Subscription#wake()} once it is.
 */
public interface EventSink {

  boolean isReady();

  /**
   * Sends one event; {@code block} and {@code index} say where it is in the hub's order (the block
   * it belongs to and its place among that block's events), or −1 for an acknowledgement.
   */
  void send(Event event, long block, int index);

  /** Called at most every heartbeat interval when nothing was sent since the last one. */
  default void heartbeat() {}

  /** The subscription is over; nothing is sent after this. */
  void end(Ending ending);
}
