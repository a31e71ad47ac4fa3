package org.jpeer.events;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jpeer.protos.Event;
import org.jpeer.protos.Interest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the hub: its interests, where it is in the hub's order (a block and a place among
 * that block's events), and the acknowledgements it is owed. Everything it sends goes out from one
 * drain at a time on the hub's sender threads, and only while its sink is ready, so a consumer that
 * does not read holds up nobody: it just stops moving, and the hub ends it when it is too far behind.
 *
 * <p>Nothing is sent before the first registration; then the consumer starts at the block after the
 * newest one published (the original: it sees what happens while it is registered) or, when it
 * asked for it, at an older block, which it reads from the ledger until it has caught up.
 */
public final class Subscription {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);
  /** Sends per drain turn before the thread goes to another consumer. */
  private static final int BUDGET = 256;

  private final EventHub hub;
  private final EventSink sink;
  private final OptionalLong from;
  private final Interests interests; // guarded by this
  private final Queue<Event> acknowledgements = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean heartbeatDue = new AtomicBoolean();
  private volatile boolean started;
  private volatile Ending ending;
  /** The block whose events are being sent; written by the drain, read by the hub's lag check. */
  private volatile long nextBlock;
  /** Whether the consumer is reading blocks older than the hub's buffer (asked to, or put there by a state transfer). */
  volatile boolean replaying;
  /** Hub lock: since when the consumer has been too far behind, or −1. */
  long behindSinceMillis = -1;

  // owned by the drain
  private int nextIndex;
  private BlockEvents current;
  private boolean ended;
  private boolean sentSinceHeartbeat;

  Subscription(EventHub hub, EventSink sink, OptionalLong from, int maxInterests) {
    this.hub = hub;
    this.sink = sink;
    this.from = from;
    this.interests = new Interests(maxInterests);
  }

  /**
   * Adds interests and, when {@code acknowledgement} is not null, sends it back (after any event
   * already on its way). Returns the interests refused, with why; the others are registered.
   */
  public List<String> register(List<Interest> wanted, Event acknowledgement) {
    List<String> refused = new ArrayList<>();
    synchronized (this) {
      for (Interest interest : wanted) {
        String why = interests.add(interest);
        if (why != null) {
          refused.add(why);
        }
      }
    }
    if (!started) {
      hub.start(this, from);
      started = true;
    }
    acknowledge(acknowledgement);
    return refused;
  }

  /** Removes interests; returns those that were not registered. */
  public List<String> unregister(List<Interest> unwanted, Event acknowledgement) {
    List<String> refused = new ArrayList<>();
    synchronized (this) {
      for (Interest interest : unwanted) {
        String why = interests.remove(interest);
        if (why != null) {
          refused.add(why);
        }
      }
    }
    acknowledge(acknowledgement);
    return refused;
  }

  /** Sends {@code event} back to the consumer as it is, in order with the events. */
  public void acknowledge(Event event) {
    if (event != null) {
      acknowledgements.add(event);
      wake();
    }
  }

  /** Ends the subscription: the sink's {@link EventSink#end} is called once, from the drain. */
  public void end(Ending why) {
    if (ending == null) {
      synchronized (this) {
        if (ending == null) {
          ending = why;
        }
      }
    }
    wake();
  }

  public boolean isEnded() {
    return ending != null;
  }

  /** The block the subscription is at: all events of the blocks below it have been handed to the sink. */
  public long position() {
    return nextBlock;
  }

  /** Tells the subscription that its sink may be ready again, or that there is something new. */
  public void wake() {
    if (wip.getAndIncrement() == 0) {
      hub.execute(this::drain);
    }
  }

  void heartbeatTick() {
    heartbeatDue.set(true);
    wake();
  }

  boolean started() {
    return started;
  }

  void startAt(long block, boolean replay) {
    nextBlock = block;
    replaying = replay;
  }

  private void drain() {
    int missed = wip.get();
    while (true) {
      boolean more;
      try {
        more = step();
      } catch (RuntimeException e) {
        log.warn("Event consumer failed and is disconnected: {}", e.toString());
        ending = new Ending(Ending.Reason.BAD_MESSAGE, "the peer could not send to this consumer: " + e);
        more = false;
        finish();
      }
      if (more) {
        hub.execute(this::drain); // budget spent: let other consumers have the thread; wip stays above 0
        return;
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Sends what it can; true when it stopped only because its budget was spent. */
  private boolean step() {
    int sent = 0;
    while (!ended) {
      if (ending != null) {
        finish();
        return false;
      }
      if (!sink.isReady()) {
        return false;
      }
      if (sent >= BUDGET) {
        return true;
      }
      Event ack = acknowledgements.poll();
      if (ack != null) {
        sink.send(ack, -1, -1);
        sent++;
        continue;
      }
      if (!started || !sendNextEvent()) {
        break;
      }
      sent++;
    }
    if (sent > 0) {
      sentSinceHeartbeat = true;
    }
    if (heartbeatDue.getAndSet(false) && !ended) {
      if (!sentSinceHeartbeat && sink.isReady()) {
        sink.heartbeat();
      }
      sentSinceHeartbeat = false;
    }
    return false;
  }

  /** Sends the next event this consumer wants; false when there is none yet (caught up). */
  private boolean sendNextEvent() {
    while (true) {
      long n = nextBlock;
      if (current == null || current.number() != n) {
        current = hub.eventsAt(n);
        if (current == null) {
          if (replaying) {
            hub.caughtUp(this, n);
          }
          return false;
        }
      }
      List<Event> events = current.events();
      int i = nextIndex;
      synchronized (this) {
        while (i < events.size() && !interests.matches(current.keys().get(i))) {
          i++;
        }
      }
      if (i < events.size()) {
        sink.send(events.get(i), n, i);
        nextIndex = i + 1;
        return true;
      }
      nextIndex = 0;
      nextBlock = n + 1;
    }
  }

  /**
   * Starts at event {@code index} of the first block instead of its first event (resuming right after
   * the last event a consumer saw); call before the first {@link #register}.
   */
  public void skipFirst(int index) {
    nextIndex = Math.max(0, index);
  }

  private void finish() {
    ended = true;
    hub.remove(this);
    try {
      sink.end(ending);
    } catch (RuntimeException e) {
      log.debug("Ending an event consumer failed: {}", e.toString());
    }
  }
}
