package org.jpeer.peer.network;

import java.util.EnumMap;
import java.util.Map;

/**
 * Manual inbound flow control of one Chat stream. gRPC delivers a message only after it was
 * requested; this gate asks for the next one only while every kind of work taken off the stream
 * (CONSENSUS messages waiting for the consenter, sync requests waiting to be served, sync replies
 * waiting for the state transfer) is below its bound. A slow consumer therefore stops reading from
 * that one stream, HTTP/2 flow control stops its sender, and nothing is dropped or buffered without
 * bound (the original drops CONSENSUS messages when its per-stream queue is full: quirk 18).
 *
 * <p>At most one message is requested at a time, so the stream's ordering is kept exactly.
 */
final class InboundGate {

  /** What holds a message after it was read. */
  enum Kind {
    /** handed to the consenter's sink, in order */
    CONSENSUS,
    /** a SYNC_GET_* request waiting for the serving lane */
    SERVE,
    /** a DISC_HELLO whose signature is being checked: nothing more is read before it is decided */
    HELLO,
    /** replies waiting for the state transfer, one bound per request type */
    BLOCKS,
    DELTAS,
    SNAPSHOT
  }

  /** Asks the transport for {@code n} more messages (called outside this gate's lock). */
  interface Requester {
    void request(int n);
  }

  private final Map<Kind, Integer> limits;
  private final int[] held = new int[Kind.values().length];
  private final Requester requester;
  private int outstanding;
  private boolean closed;

  /**
   * @param initiallyRequested how many messages the transport was already asked for (a client
   *     call is started with one requested)
   */
  InboundGate(Map<Kind, Integer> limits, int initiallyRequested, Requester requester) {
    EnumMap<Kind, Integer> copy = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      int limit = limits.getOrDefault(k, 1);
      if (limit < 1) {
        throw new IllegalArgumentException("limit for " + k + " must be at least 1, got " + limit);
      }
      copy.put(k, limit);
    }
    this.limits = copy;
    this.outstanding = initiallyRequested;
    this.requester = requester;
  }

  /** A requested message has arrived. */
  synchronized void arrived() {
    if (outstanding > 0) {
      outstanding--;
    }
  }

  /** A message of {@code kind} is now held until {@link #release}. */
  synchronized void hold(Kind kind) {
    held[kind.ordinal()]++;
  }

  /** {@code n} messages of {@code kind} are done with; reading may resume. */
  void release(Kind kind, int n) {
    if (n == 0) {
      return;
    }
    synchronized (this) {
      held[kind.ordinal()] -= n;
      if (held[kind.ordinal()] < 0) {
        throw new IllegalStateException("released more " + kind + " messages than were held");
      }
    }
    poke();
  }

  /** Requests the next message if none is requested and nothing is at its bound. */
  void poke() {
    synchronized (this) {
      if (closed || outstanding > 0) {
        return;
      }
      for (Kind k : Kind.values()) {
        if (held[k.ordinal()] >= limits.get(k)) {
          return;
        }
      }
      outstanding = 1;
    }
    requester.request(1);
  }

  synchronized int held(Kind kind) {
    return held[kind.ordinal()];
  }

  /** Whether reading is stopped because something is at its bound (for tests and operators). */
  synchronized boolean paused() {
    return !closed && outstanding == 0;
  }

  synchronized void close() {
    closed = true;
  }
}
