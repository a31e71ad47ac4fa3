package org.jpeer.bench.events;

import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jpeer.events.EventHub;
import org.jpeer.events.EventsServer;
import org.jpeer.events.HubSettings;
import org.jpeer.events.LedgerHistory;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerListener;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeReg;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Interest;

/**
 * Event fan-out without chaincode in the way: one peer cannot commit 5,000 chaincode invokes/s on the
 * 2-core machine, so this commits synthetic invoke blocks straight into a real ledger at that rate and
 * measures the event hub and its gRPC server delivering them to N real gRPC consumers. See
 * {@link FanoutOptions#USAGE} and docs/PERFORMANCE.md.
 *
 * <p>Latency is commit-to-receipt on one clock (System.nanoTime in one process): from right after
 * {@code LedgerBatch.commit} returned (the block is durable and the hub has taken it: the ledger tells
 * its listeners on the committing thread) to the consumer's transport thread handing it over.
 */
public final class EventFanout {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
  /** How long consumers may take to receive the rest once the last block is committed. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final FanoutOptions o;

  private EventFanout(FanoutOptions o) {
    this.o = o;
  }

  public static void main(String[] args) throws Exception {
    FanoutOptions o;
    try {
      o = FanoutOptions.parse(args);
    } catch (FanoutOptions.HelpRequested h) {
      System.out.print(FanoutOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.err.print(FanoutOptions.USAGE);
      System.exit(2);
      return;
    }
    boolean ok = new EventFanout(o).run();
    System.exit(ok ? 0 : 1);
  }

  /** When each block of the schedule was due, started, durable, and done (System.nanoTime). */
  private record Commit(long due, long started, long durable, long done) {}

  private boolean run() throws Exception {
    System.out.printf("load at start: %s%n", uptime());
    Path dir = Files.createTempDirectory("jpeer-event-fanout");
    try {
      return measure(dir);
    } finally {
      deleteTree(dir);
      System.out.printf("load at end: %s%n", uptime());
    }
  }

  private boolean measure(Path dir) throws Exception {
    SyntheticBlocks blocks = new SyntheticBlocks(SyntheticBlocks.chaincodeName(7), ThreadLocalRandom.current().nextLong());
    int total = o.totalBlocks();
    long[] durable = new long[total];
    List<FanoutConsumer> consumers = new ArrayList<>();
    List<EventStream> streams = new ArrayList<>();
    Commit[] commits = new Commit[total];
    long firstBlock;
    long windowStart;
    long windowEnd;
    long hubPublished;
    long hubEndedBehind;
    String cpu;
    try (PeerLedger ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.defaults())) {
      firstBlock = ledger.height();
      // Added before the hub's own listener, so it sees the block first: the moment the write is durable.
      ledger.addListener(new LedgerListener() {
        @Override
        public void committed(long number, Block block, List<FailedTx> failed) {
          int i = (int) (number - firstBlock);
          if (i >= 0 && i < total) {
            durable[i] = System.nanoTime();
          }
        }

        @Override
        public void stored(long number, Block block) {}
      });
      try (EventHub hub = LedgerHistory.hubFor(ledger, HubSettings.of(100, 10));
          EventsServer server = EventsServer.start("127.0.0.1", 0, hub)) {
        List<Interest> interests = List.of(
            Interest.newBuilder().setEventType(EventType.BLOCK).build(),
            Interest.newBuilder().setEventType(EventType.CHAINCODE)
                .setChaincodeRegInfo(ChaincodeReg.newBuilder().setChaincodeID(blocks.chaincode())
                    .setEventName(SyntheticBlocks.EVENT_NAME))
                .build());
        try {
          for (int c = 0; c < o.consumers(); c++) {
            FanoutConsumer consumer = new FanoutConsumer(c, blocks, firstBlock, total, o.blockSize());
            consumers.add(consumer);
            streams.add(EventStream.open("127.0.0.1", server.port(), OptionalLong.empty(), interests, consumer, ACK_TIMEOUT));
          }
          System.out.printf("event hub on 127.0.0.1:%d (buffer 100 blocks, timeout 10 ms), %d consumers registered for "
                  + "BLOCK and CHAINCODE %s…/%s, each on its own channel%n", server.port(), consumers.size(),
              blocks.chaincode().substring(0, 8), SyntheticBlocks.EVENT_NAME);
          System.out.printf("schedule: %d blocks of %d invokes (payload %d bytes) every %.2f ms = %.0f tx/s, "
                  + "%.1f s warm-up + %.1f s measured; ledger %s%n", total, o.blockSize(), blocks.payloadBytes(),
              o.period().toNanos() / 1e6, o.rate(), o.warmup().toMillis() / 1000.0, o.duration().toMillis() / 1000.0, dir);

          ThreadCpu cpuAtStart = ThreadCpu.now();
          long t0 = System.nanoTime() + 100_000_000L; // the first block once everything above has settled
          windowStart = t0 + o.warmup().toNanos();
          windowEnd = windowStart + o.duration().toNanos();
          for (int k = 0; k < total; k++) {
            SyntheticBlocks.Block next = blocks.block(firstBlock + k, o.blockSize());
            // A fixed schedule: block k is due at t0 + k periods whatever the earlier ones took, so a slow
            // commit shows as lateness instead of silently lowering the rate.
            long due = t0 + (long) (k * (double) o.period().toNanos());
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
              LockSupport.parkNanos(wait);
            }
            long started = System.nanoTime();
            commit(ledger, next, k);
            commits[k] = new Commit(due, started, durable[k], System.nanoTime());
          }
          long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
          for (FanoutConsumer c : consumers) {
            c.awaitAll(deadline);
          }
          cpu = ThreadCpu.now().since(cpuAtStart); // before the consumers' threads end
        } finally {
          streams.forEach(EventStream::close);
        }
        hubPublished = hub.publishedBlocks();
        hubEndedBehind = hub.endedForFallingBehind();
      }
    }
    System.out.printf("cpu, whole schedule (consumers included): %s%n", cpu);
    return report(commits, consumers, windowStart, windowEnd, hubPublished, hubEndedBehind);
  }

  /** One block as example02's {@code move a b 1} makes it: two keys written per transaction. */
  private void commit(PeerLedger ledger, SyntheticBlocks.Block block, int k) {
    String cc = block.events().get(0).getChaincodeID();
    try (LedgerBatch batch = ledger.beginBatch()) {
      for (int i = 0; i < block.transactions().size(); i++) {
        long n = (long) k * block.transactions().size() + i;
        TxState tx = batch.beginTx(block.transactions().get(i).getTxid());
        tx.put(cc, "a", Long.toString(1_000_000_000L - n).getBytes(StandardCharsets.UTF_8));
        tx.put(cc, "b", Long.toString(1_000_000_000L + n).getBytes(StandardCharsets.UTF_8));
        tx.commit();
      }
      batch.commit(block.transactions(), null, block.events(), List.of());
    }
  }

  private boolean report(Commit[] commits, List<FanoutConsumer> consumers,
      long windowStart, long windowEnd, long hubPublished, long hubEndedBehind) {
    int total = commits.length;
    long period = o.period().toNanos();
    List<Integer> window = new ArrayList<>();
    for (int k = 0; k < total; k++) {
      if (commits[k].due() >= windowStart && commits[k].due() < windowEnd) {
        window.add(k);
      }
    }
    long doneInWindow = 0;
    int late = 0;
    long worstLate = 0;
    long[] commitTimes = new long[window.size()];
    long[] afterDurable = new long[window.size()];
    for (int j = 0; j < window.size(); j++) {
      Commit c = commits[window.get(j)];
      if (c.done() >= windowStart && c.done() < windowEnd) {
        doneInWindow++;
      }
      long lateBy = c.started() - c.due();
      worstLate = Math.max(worstLate, lateBy);
      if (lateBy > period) {
        late++;
      }
      commitTimes[j] = c.done() - c.started();
      afterDurable[j] = c.done() - c.durable();
    }
    double seconds = (windowEnd - windowStart) / 1e9;
    System.out.printf("window: %d blocks due in %.1f s after %.1f s warm-up%n", window.size(), seconds,
        o.warmup().toMillis() / 1000.0);
    System.out.printf("committed tx/s: %.0f (target of the schedule %.0f)%n", doneInWindow * o.blockSize() / seconds, o.rate());
    System.out.printf("commit ms (begin batch -> commit returned): %s%n", Percentiles.of(commitTimes));
    System.out.printf("  of which after the durable write (listeners: the hub taking the block): %s%n",
        Percentiles.of(afterDurable));
    if (late > 0) {
      System.out.printf("BEHIND SCHEDULE: %d of %d measured blocks started more than one period (%.1f ms) late, the "
          + "worst by %.1f ms: the ledger could not commit at this rate here%n", late, window.size(), period / 1e6, worstLate / 1e6);
    } else {
      System.out.printf("kept the schedule: the latest block started %.2f ms after it was due%n", worstLate / 1e6);
    }

    boolean ok = true;
    long[] blockLatency = new long[window.size() * consumers.size()];
    long[] fromDurable = new long[window.size() * consumers.size()];
    long[] allEventsLatency = new long[window.size() * consumers.size()];
    int nb = 0;
    int ne = 0;
    for (int c = 0; c < consumers.size(); c++) {
      FanoutConsumer consumer = consumers.get(c);
      for (int k : window) {
        long at = consumer.blockAt(k);
        if (at != 0) {
          fromDurable[nb] = at - commits[k].durable();
          blockLatency[nb++] = at - commits[k].done();
        }
        long last = consumer.lastEventAt(k);
        if (last != 0) {
          allEventsLatency[ne++] = last - commits[k].done();
        }
      }
      List<String> problems = consumer.problems();
      Status ended = consumer.ended();
      String status = problems.isEmpty() && ended == null ? "ok" : "FAILED";
      System.out.printf("consumer %d: %d BLOCK events, %d chaincode events (expected %d and %d): %s%n", consumer.id(),
          consumer.blockEvents(), consumer.chaincodeEvents(), total, total * o.blockSize(), status);
      if (ended != null) {
        System.out.printf("  DISCONNECTED by the peer: %s%n", ended);
      }
      problems.forEach(p -> System.out.printf("  %s%n", p));
      ok &= problems.isEmpty() && ended == null;
    }
    System.out.printf("delivery latency ms, commit returned -> BLOCK event received, %d consumers x %d blocks: %s%n",
        consumers.size(), window.size(), Percentiles.of(java.util.Arrays.copyOf(blockLatency, nb)));
    System.out.printf("delivery latency ms, commit returned -> the block's last chaincode event received: %s%n",
        Percentiles.of(java.util.Arrays.copyOf(allEventsLatency, ne)));
    // The hub is told on the committing thread before commit returns, so a consumer can be faster than
    // the "commit returned" stamp (negative minimum); the durable write comes before the hub in every case.
    System.out.printf("delivery latency ms, durable write (ledger listener, before the hub's) -> BLOCK event received: %s%n",
        Percentiles.of(java.util.Arrays.copyOf(fromDurable, nb)));
    System.out.printf("hub: %d blocks published, %d consumers ended for falling behind%n", hubPublished, hubEndedBehind);
    System.out.println(ok ? "result: every event delivered exactly once to every consumer"
        : "result: FAILED (missing, duplicated or disconnected: see above)");
    return ok;
  }

  private static String uptime() {
    try {
      Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out;
    } catch (IOException e) {
      try {
        return "/proc/loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
      } catch (IOException e2) {
        return "unknown (" + e.getMessage() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
