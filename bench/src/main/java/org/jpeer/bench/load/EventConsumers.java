package org.jpeer.bench.load;

import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jpeer.bench.events.EventStream;
import org.jpeer.bench.events.Percentiles;
import org.jpeer.protos.Block;
import org.jpeer.protos.Event;

/**
 * The load generator's consumers of the peer's event hub: N gRPC streams registered for BLOCK events,
 * each on its own connection. A Block carries no number, so each stream starts at a known block
 * ({@code jpeer-from-block}: the height before the load) and every block received is identified by its
 * {@code localLedgerCommitTimestamp}, which the chain read over REST maps to a block number.
 */
final class EventConsumers implements AutoCloseable {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
  /** The most problems printed per consumer. */
  private static final int SHOWN = 10;

  /** A block as one consumer received it: its commit timestamp (−1 without one) and the receipt time, epoch ns. */
  record Received(long commitNanos, long receivedNanos) {}

  private final long fromBlock;
  private final List<Consumer> consumers = new ArrayList<>();
  private final List<EventStream> streams = new ArrayList<>();

  EventConsumers(InetSocketAddress hub, int count, long fromBlock) throws IOException {
    this.fromBlock = fromBlock;
    try {
      for (int i = 0; i < count; i++) {
        Consumer c = new Consumer();
        consumers.add(c);
        streams.add(EventStream.open(hub.getHostString(), hub.getPort(), OptionalLong.of(fromBlock), EventStream.blocks(),
            c, ACK_TIMEOUT));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Waits until every consumer has received the blocks below {@code endBlock}, or ended, or {@code timeout}. */
  void awaitBlocks(long endBlock, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Consumer c : consumers) {
      c.await(endBlock - fromBlock, deadline);
    }
  }

  /**
   * Prints delivery latency of the blocks committed inside the window and whether every block from
   * {@code fromBlock} to {@code endBlock} (exclusive) reached every consumer exactly once, in order.
   */
  void report(ChainWatcher chain, long endBlock, long measureStart, long measureEnd) {
    if (endBlock <= fromBlock) {
      System.out.printf("event consumers: no block was committed (or read: blocks are read only with --conns)%n");
      return;
    }
    Map<Long, Long> numberByCommit = new HashMap<>();
    for (long n = fromBlock; n < endBlock; n++) {
      Long t = chain.blockCommitNanos(n);
      if (t != null) {
        numberByCommit.put(t, n);
      }
    }
    List<Long> latencies = new ArrayList<>();
    boolean allOk = true;
    for (int c = 0; c < consumers.size(); c++) {
      Consumer consumer = consumers.get(c);
      List<Received> got = consumer.received();
      List<String> problems = new ArrayList<>();
      int[] times = new int[(int) Math.max(0, endBlock - fromBlock)];
      long previous = fromBlock - 1;
      int later = 0;
      for (int i = 0; i < got.size(); i++) {
        Received r = got.get(i);
        if (r.commitNanos() >= measureStart && r.commitNanos() < measureEnd) {
          latencies.add(r.receivedNanos() - r.commitNanos());
        }
        Long n = numberByCommit.get(r.commitNanos());
        if (n == null) {
          if (previous == endBlock - 1) {
            later++; // committed after the chain was last read: not checked
          } else {
            problems.add("block #" + i + " received (commit time " + r.commitNanos() + ") is none of the chain's blocks "
                + fromBlock + ".." + (endBlock - 1));
          }
          continue;
        }
        times[(int) (n - fromBlock)]++;
        if (n <= previous) {
          problems.add("block " + n + " arrived after block " + previous + " (DUPLICATE or out of order)");
        }
        previous = Math.max(previous, n);
      }
      int missing = 0;
      int duplicated = 0;
      long firstMissing = -1;
      for (int i = 0; i < times.length; i++) {
        if (times[i] == 0) {
          missing++;
          firstMissing = firstMissing < 0 ? fromBlock + i : firstMissing;
        } else if (times[i] > 1) {
          duplicated++;
        }
      }
      if (missing > 0) {
        problems.add(0, "MISSING " + missing + " blocks, the first " + firstMissing);
      }
      if (duplicated > 0) {
        problems.add(0, "DUPLICATE: " + duplicated + " blocks received more than once");
      }
      Status ended = consumer.ended();
      if (ended != null) {
        problems.add(0, "DISCONNECTED by the peer: " + ended);
      }
      if (problems.isEmpty()) {
        System.out.printf("event consumer %d: blocks %d..%d each received once, in order%s%n", c, fromBlock, endBlock - 1,
            later > 0 ? " (and " + later + " committed later)" : "");
      } else {
        allOk = false;
        System.out.printf("event consumer %d: FAILED, %d blocks received for %d..%d%n", c, got.size(), fromBlock, endBlock - 1);
        problems.stream().limit(SHOWN).forEach(p -> System.out.printf("  %s%n", p));
        if (problems.size() > SHOWN) {
          System.out.printf("  ... and %d more%n", problems.size() - SHOWN);
        }
      }
    }
    System.out.printf("block event latency ms (receipt, wall clock, minus the block's localLedgerCommitTimestamp, "
        + "which is taken just before the ledger's synced write, so this includes the fsync), %d consumers, blocks "
        + "committed in the window: %s%n", consumers.size(), Percentiles.of(latencies.stream().mapToLong(Long::longValue).toArray()));
    if (!allOk) {
      System.out.println("EVENTS FAILED: a consumer missed, repeated or reordered blocks, or was disconnected (see above)");
    }
  }

  @Override
  public void close() {
    streams.forEach(EventStream::close);
  }

  /** One stream's blocks in arrival order; written on its transport thread, read by the main thread. */
  private static final class Consumer implements EventStream.Listener {
    private final List<Received> received = new ArrayList<>();
    private Status ended;

    @Override
    public synchronized void onEvent(Event event) {
      long now = LoadGenerator.nowNanos();
      if (event.getEventCase() == Event.EventCase.BLOCK) {
        Block b = event.getBlock();
        long commit = b.hasNonHashData() && b.getNonHashData().hasLocalLedgerCommitTimestamp()
            ? b.getNonHashData().getLocalLedgerCommitTimestamp().getSeconds() * 1_000_000_000L
                + b.getNonHashData().getLocalLedgerCommitTimestamp().getNanos()
            : -1;
        received.add(new Received(commit, now));
        notifyAll();
      }
    }

    @Override
    public synchronized void onEnd(Status status) {
      ended = status;
      notifyAll();
    }

    synchronized void await(long blocks, long deadlineNanos) throws InterruptedException {
      while (received.size() < blocks && ended == null) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    synchronized List<Received> received() {
      return List.copyOf(received);
    }

    synchronized Status ended() {
      return ended;
    }
  }
}
