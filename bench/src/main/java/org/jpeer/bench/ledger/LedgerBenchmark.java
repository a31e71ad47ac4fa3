package org.jpeer.bench.ledger;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.StateIterator;
import org.jpeer.ledger.TxState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ledger's hot paths on a state of {@code preloadKeys} keys, by default with the core.yaml bucket
 * tree (1,000,003 buckets, fan-out 5). Results and the command line are in docs/PERFORMANCE.md.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LedgerBenchmark {

  /** The preloaded ledger, shared by all threads of a trial. */
  @State(Scope.Benchmark)
  public static class Preloaded {
    @Param({"100000"})
    public int preloadKeys;

    /** Whether each commit syncs the write-ahead log (jpeer's default is true). */
    @Param({"true"})
    public boolean syncWrites;

    /** numBuckets/maxGroupingAtEachLevel: core.yaml's 1000003/5 or the original's code default 10009/10. */
    @Param({"1000003/5"})
    public String buckets;

    LedgerFixture fixture;

    @Setup(Level.Trial)
    public void open() throws IOException {
      String[] tree = buckets.split("/");
      LedgerOptions options = LedgerOptions.defaults().withSyncWrites(syncWrites)
          .withBuckets(Integer.parseInt(tree[0]), Integer.parseInt(tree[1]));
      fixture = new LedgerFixture(options, preloadKeys);
      for (int i = 0; i < 20; i++) {
        fixture.commitBlock(500, 2); // transactions to look up
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      fixture.close();
    }
  }

  /** An open batch holding a 1,000-write delta, made afresh (untimed) for each invocation. */
  @State(Scope.Thread)
  public static class PendingDelta {
    LedgerBatch batch;

    @Setup(Level.Invocation)
    public void fill(Preloaded p) {
      batch = p.fixture.ledger.beginBatch();
      TxState tx = batch.beginTx("hash");
      for (int w = 0; w < 1000; w++) {
        int k = p.fixture.random.nextInt(p.fixture.keySpace * 2);
        tx.put(LedgerFixture.CHAINCODE, LedgerFixture.key(k), LedgerFixture.value(w));
      }
      tx.commit();
    }

    @TearDown(Level.Invocation)
    public void drop() {
      batch.rollback();
    }
  }

  /** A 500-transaction block with 1,000 state writes: execution writes, state hash, one synced write. */
  @Benchmark
  public void commitBlock500Tx1000Writes(Preloaded p) {
    p.fixture.commitBlock(500, 2);
  }

  /** The state hash of a 1,000-write delta (the incremental bucket tree update alone). */
  @Benchmark
  public byte[] stateHash1000Writes(PendingDelta d) {
    return d.batch.previewStateHash();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Object txLookupById(Preloaded p) {
    return p.fixture.ledger.transaction(p.fixture.randomCommittedTxid());
  }

  /** A committed range scan returning 100 consecutive keys. */
  @Benchmark
  public void rangeScan100Keys(Preloaded p, Blackhole bh) {
    LedgerFixture f = p.fixture;
    int start = f.random.nextInt(f.keySpace - 100);
    try (StateIterator it = f.ledger.committedState().range(LedgerFixture.CHAINCODE, LedgerFixture.key(start),
        LedgerFixture.key(start + 99))) {
      while (it.hasNext()) {
        bh.consume(it.next());
      }
    }
  }
}
