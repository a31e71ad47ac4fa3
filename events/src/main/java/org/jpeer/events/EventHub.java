package org.jpeer.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import org.jpeer.protos.Block;
import org.jpeer.protos.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event hub: publishes every stored block, in block order, with its rejection and chaincode
 * events, to every subscription that wants them.
 *
 * <p>Publishing never waits for a consumer. The newest {@code bufferSize} blocks' events are kept in
 * memory, shared by all consumers; each consumer has only a position in that order and moves at
 * its own pace (see {@link Subscription}); a consumer behind the buffer reads from the
 * {@link BlockHistory}. A live consumer more than {@code bufferSize} blocks behind is ended as
 * {@link HubSettings#timeoutMillis} says. The original instead sends from one dispatcher to every
 * consumer in turn, so one slow consumer delays all, and drops events when its channel is full.
 *
 * <p>Blocks are published in number order with no gap: a block stored by state transfer above a
 * missing one waits until the blocks below are stored; a commit publishes everything below it
 * first and skips (with a warning) numbers still missing then.
 */
public final class EventHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);
  /** The most blocks kept in memory, whatever the buffer size; consumers further behind read the ledger. */
  static final int MAX_RING = 4096;

  private final BlockHistory history;
  private final HubSettings settings;
  private final LongSupplier millis;
  private final AtomicReferenceArray<BlockEvents> ring;
  private final Set<Subscription> subscriptions = new LinkedHashSet<>(); // guarded by this
  private final ThreadPoolExecutor senders;
  private final ScheduledExecutorService ticker;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong endedBehind = new AtomicLong();
  /** The next block number to publish; written under this. */
  private volatile long next;
  private boolean closed; // guarded by this

  public EventHub(BlockHistory history, HubSettings settings) {
    this(history, settings, () -> System.nanoTime() / 1_000_000);
  }

  EventHub(BlockHistory history, HubSettings settings, LongSupplier millis) {
    this.history = history;
    this.settings = settings;
    this.millis = millis;
    this.ring = new AtomicReferenceArray<>(Math.min(settings.bufferSize() + 1, MAX_RING));
    this.next = history.height();
    AtomicInteger n = new AtomicInteger();
    this.senders = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "events-send-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "events-heartbeat");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::heartbeat, settings.heartbeatMillis(), settings.heartbeatMillis(),
        TimeUnit.MILLISECONDS);
  }

  public HubSettings settings() {
    return settings;
  }

  /**
   * A new subscription; it sends nothing until its first {@link Subscription#register}.
   *
   * @param from start at this block instead of the next one published (a jpeer extension)
   */
  public synchronized Subscription subscribe(EventSink sink, OptionalLong from) throws SubscribeRefused {
    if (from.isPresent() && from.getAsLong() < 0) {
      throw new IllegalArgumentException("a replay must start at block 0 or above, got " + from.getAsLong());
    }
    if (closed) {
      throw new SubscribeRefused("the peer is shutting down");
    }
    if (subscriptions.size() >= settings.maxConsumers()) {
      throw new SubscribeRefused("the event hub already serves " + subscriptions.size() + " consumers, its limit");
    }
    Subscription s = new Subscription(this, sink, from, settings.maxInterests());
    subscriptions.add(s);
    return s;
  }

  public synchronized int consumers() {
    return subscriptions.size();
  }

  /** Blocks published since start. */
  public long publishedBlocks() {
    return published.get();
  }

  /** Consumers ended for falling behind since start. */
  public long endedForFallingBehind() {
    return endedBehind.get();
  }

  /** The next block number the hub will publish. */
  public long nextBlock() {
    return next;
  }

  /** Block {@code number} was executed here and committed, with these rejections. */
  public synchronized void committed(long number, Block block, List<Rejection> rejections) {
    if (closed) {
      return;
    }
    if (number < next) {
      log.debug("Block {} was published already (next is {})", number, next);
      return;
    }
    if (number > next) {
      publishStored(number, true);
    }
    publish(BlockEvents.of(number, block, Optional.of(List.copyOf(rejections))));
    next = number + 1;
    checkLag();
  }

  /** Block {@code number} was stored from another peer; publishes what is now contiguous. */
  public synchronized void received(long number) {
    if (closed || number < next) {
      return;
    }
    publishStored(history.height(), false);
  }

  /**
   * Publishes the stored blocks from {@code next} up to {@code end} (exclusive), from the history;
   * stops at the first missing one unless {@code skipMissing}. Consumers left behind the buffer by
   * such a jump (a state transfer) are not slow: they read the rest from the ledger.
   */
  private void publishStored(long end, boolean skipMissing) {
    long first = next;
    long stop = first;
    List<BlockEvents> found = new ArrayList<>();
    int keep = ring.length();
    while (stop < end) {
      Optional<Block> block = history.block(stop);
      if (block.isEmpty() && !skipMissing) {
        break;
      }
      if (block.isEmpty()) {
        log.warn("Block {} is not stored yet; event consumers will not see it live (replay shows it once stored)", stop);
      } else if (end - stop <= keep) {
        found.add(BlockEvents.of(stop, block.get(), history.rejections(stop)));
      }
      stop++;
    }
    if (stop == first) {
      return;
    }
    found.forEach(this::publish);
    published.addAndGet(stop - first - found.size());
    next = stop;
    for (Subscription s : subscriptions) {
      if (s.started() && !s.replaying && stop - s.position() > settings.bufferSize()) {
        s.replaying = true;
        s.behindSinceMillis = -1;
      }
    }
    wakeAll();
  }

  private void publish(BlockEvents events) {
    ring.set((int) (events.number() % ring.length()), events);
    published.incrementAndGet();
  }

  /** Wakes every consumer and ends the live ones too far behind, as {@code timeout} says. */
  private void checkLag() {
    long newest = next - 1;
    long now = millis.getAsLong();
    int timeout = settings.timeoutMillis();
    for (Subscription s : subscriptions) {
      if (s.started() && !s.replaying && !s.isEnded()) {
        long behind = newest - s.position() + 1;
        if (behind <= settings.bufferSize() || timeout == 0) {
          s.behindSinceMillis = -1;
        } else if (timeout < 0 || (s.behindSinceMillis >= 0 && now - s.behindSinceMillis > timeout)) {
          endedBehind.incrementAndGet();
          s.end(new Ending(Ending.Reason.FELL_BEHIND, "the consumer fell more than " + settings.bufferSize()
              + " blocks behind (peer.validator.events.buffersize): it was at block " + s.position()
              + " when block " + newest + " was committed; reconnect, with replay from block " + s.position()
              + " to miss nothing"));
          continue;
        } else if (s.behindSinceMillis < 0) {
          s.behindSinceMillis = now;
        }
      }
      s.wake();
    }
  }

  private void wakeAll() {
    for (Subscription s : subscriptions) {
      s.wake();
    }
  }

  /** The events of block {@code n}, or {@code null} when it is not published yet. */
  BlockEvents eventsAt(long n) {
    if (n >= next) {
      return null;
    }
    BlockEvents cached = ring.get((int) (n % ring.length()));
    if (cached != null && cached.number() == n) {
      return cached;
    }
    Optional<Block> block = history.block(n);
    return block.isEmpty() ? BlockEvents.missing(n) : BlockEvents.of(n, block.get(), history.rejections(n));
  }

  synchronized void start(Subscription s, OptionalLong from) {
    long at = from.orElse(next);
    s.startAt(at, at < next);
  }

  synchronized void caughtUp(Subscription s, long position) {
    if (position >= next) {
      s.replaying = false;
      s.behindSinceMillis = -1;
    }
  }

  synchronized void remove(Subscription s) {
    subscriptions.remove(s);
  }

  void execute(Runnable task) {
    try {
      senders.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: the subscription is ended with the hub
    }
  }

  private void heartbeat() {
    List<Subscription> all;
    synchronized (this) {
      all = new ArrayList<>(subscriptions);
    }
    all.forEach(Subscription::heartbeatTick);
  }

  /** Ends every subscription ("the peer is shutting down") and stops the sender threads. */
  @Override
  public void close() {
    List<Subscription> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(subscriptions);
    }
    all.forEach(s -> s.end(new Ending(Ending.Reason.HUB_CLOSED, "the peer is shutting down")));
    ticker.shutdownNow();
    senders.shutdown();
    try {
      if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
        senders.shutdownNow();
      }
    } catch (InterruptedException e) {
      senders.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
