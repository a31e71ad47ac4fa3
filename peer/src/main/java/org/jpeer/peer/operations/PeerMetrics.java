package org.jpeer.peer.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.LedgerListener;
import org.jpeer.protos.Block;

/**
 * The peer's meters, in one Prometheus registry: what {@code GET /metrics} exports. Names are
 * Micrometer's dotted form; Prometheus sees {@code jpeer_ledger_height},
 * {@code jpeer_transactions_committed_total}, {@code jpeer_block_commit_seconds_bucket}, ... (the
 * list and meanings: docs/operations.md). Every meter is registered here, so that the set of
 * series does not depend on what happened since start (a dashboard finds each at zero).
 */
public final class PeerMetrics implements AutoCloseable {
  /** Beyond this many chaincode names, executions are counted under {@code chaincode="other"}. */
  static final int MAX_CHAINCODE_LABELS = 64;

  /**
   * Histogram bucket bounds of both timers: fixed and few (14 series per timer) rather than
   * Micrometer's ~70 percentile buckets, so that a scrape stays small with many chaincodes.
   */
  static final Duration[] BUCKETS = java.util.stream.LongStream.of(
          1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter committedExecuted;
  private final Counter committedReceived;
  private final Counter blocksReceived;
  private final Counter refusedBusy;
  private final Counter refusedStopping;
  private final Timer blockCommit;
  private final ConcurrentMap<FailureClass, Counter> failed = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> executions = new ConcurrentHashMap<>();

  public PeerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    committedExecuted = committed("executed");
    committedReceived = committed("state_transfer");
    blocksReceived = Counter.builder("jpeer.state.transfer.blocks")
        .description("Blocks this peer stored from other peers by state transfer").register(registry);
    refusedBusy = refused("busy");
    refusedStopping = refused("stopping");
    for (FailureClass c : FailureClass.values()) {
      failed.put(c, Counter.builder("jpeer.transactions.failed")
          .description("Ordered transactions that failed in execution and were left out of their block, by reason class")
          .tag("reason", c.label()).register(registry));
    }
    blockCommit = Timer.builder("jpeer.block.commit")
        .description("Time to execute a batch and write its block (one synced write), per block")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private Counter committed(String source) {
    return Counter.builder("jpeer.transactions.committed")
        .description("Transactions in blocks this peer stored: executed here, or received by state transfer")
        .tag("source", source).register(registry);
  }

  private Counter refused(String reason) {
    return Counter.builder("jpeer.transactions.refused")
        .description("Deploys and invokes refused before ordering: busy (the consensus queue is full) or stopping")
        .tag("reason", reason).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public void gaugeLedgerHeight(LongSupplier height) {
    Gauge.builder("jpeer.ledger.height", () -> height.getAsLong())
        .description("Blocks in this peer's chain, genesis included").register(registry);
  }

  public void gaugePending(IntSupplier pending) {
    Gauge.builder("jpeer.consensus.pending", () -> pending.getAsInt())
        .description("Accepted deploys and invokes not yet executed").register(registry);
  }

  public void gaugePeersConnected(IntSupplier peers) {
    Gauge.builder("jpeer.peers.connected", () -> peers.getAsInt())
        .description("Peers with an open peer-to-peer stream to this one").register(registry);
  }

  /** Counts the transactions of every block the ledger stores. */
  public LedgerListener ledgerListener() {
    return new LedgerListener() {
      @Override
      public void committed(long number, Block block, List<FailedTx> failures) {
        committedExecuted.increment(block.getTransactionsCount());
        for (FailedTx f : failures) {
          failed.get(FailureClass.of(f.reason())).increment();
        }
      }

      @Override
      public void stored(long number, Block block) {
        blocksReceived.increment();
        committedReceived.increment(block.getTransactionsCount());
      }
    };
  }

  void refusedBusy() {
    refusedBusy.increment();
  }

  void refusedStopping() {
    refusedStopping.increment();
  }

  Timer blockCommit() {
    return blockCommit;
  }

  /** The execution timer of one chaincode and kind (deploy, invoke, query). */
  Timer execution(String chaincode, String kind) {
    String key = chaincode + ' ' + kind;
    Timer t = executions.get(key);
    if (t != null) {
      return t;
    }
    String label = executions.size() >= MAX_CHAINCODE_LABELS * 3 ? "other" : chaincode;
    return executions.computeIfAbsent(label + ' ' + kind, k -> Timer.builder("jpeer.chaincode.execute")
        .description("Time chaincode takes to run one transaction or query, by chaincode name and kind")
        .tag("chaincode", label).tag("kind", kind)
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
