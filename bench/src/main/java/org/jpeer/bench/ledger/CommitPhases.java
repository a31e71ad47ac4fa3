package org.jpeer.bench.ledger;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Transaction;

/**
 * Where the time of one 500-transaction / 1,000-write block goes: execution writes, state hash,
 * commit write. Prints medians of wall time and of CPU time (this thread plus the ledger's hashing
 * thread), because on a shared machine wall time mostly measures the neighbours.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar org.jpeer.bench.ledger.CommitPhases [blocks] [preloadKeys]
 * [numBuckets/grouping] [sync]}
 */
public final class CommitPhases {
  private CommitPhases() {}

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int preload = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    String[] tree = (args.length > 2 ? args[2] : "1000003/5").split("/");
    boolean sync = args.length <= 3 || Boolean.parseBoolean(args[3]);
    LedgerOptions options = LedgerOptions.defaults().withSyncWrites(sync)
        .withBuckets(Integer.parseInt(tree[0]), Integer.parseInt(tree[1]));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (LedgerFixture fixture = new LedgerFixture(options, preload)) {
      int keySpace = Math.max(2 * preload, 200_000); // half updates, half inserts on a preloaded state
      long[][] wall = new long[3][blocks];
      long[][] cpu = new long[3][blocks];
      for (int b = 0; b < blocks; b++) {
        long w0 = System.nanoTime();
        long c0 = cpu(mx);
        LedgerBatch batch = fixture.ledger.beginBatch();
        List<Transaction> txs = new ArrayList<>(500);
        for (int t = 0; t < 500; t++) {
          String txid = "phase" + b + "." + t;
          TxState tx = batch.beginTx(txid);
          for (int w = 0; w < 2; w++) {
            tx.put(LedgerFixture.CHAINCODE, LedgerFixture.key(fixture.random.nextInt(keySpace)),
                LedgerFixture.value(b));
          }
          tx.commit();
          txs.add(Transaction.newBuilder().setTxid(txid).setTypeValue(2).build());
        }
        long w1 = System.nanoTime();
        long c1 = cpu(mx);
        batch.previewStateHash();
        long w2 = System.nanoTime();
        long c2 = cpu(mx);
        batch.commit(txs, null, List.of(), List.of());
        long w3 = System.nanoTime();
        long c3 = cpu(mx);
        wall[0][b] = w1 - w0;
        wall[1][b] = w2 - w1;
        wall[2][b] = w3 - w2;
        cpu[0][b] = c1 - c0;
        cpu[1][b] = c2 - c1;
        cpu[2][b] = c3 - c2;
      }
      String[] names = {"execute 500 tx / 1000 writes", "state hash", "commit (one synced write)"};
      System.out.printf("%d blocks, %d preloaded keys, buckets %s/%s, sync %s (first quarter skipped as warm-up)%n",
          blocks, preload, tree[0], tree[1], sync);
      long[] totalWall = new long[blocks];
      long[] totalCpu = new long[blocks];
      for (int p = 0; p < 3; p++) {
        for (int b = 0; b < blocks; b++) {
          totalWall[b] += wall[p][b];
          totalCpu[b] += cpu[p][b];
        }
        System.out.printf("  %-30s wall median %7.2f ms   cpu median %7.2f ms%n", names[p], median(wall[p]),
            median(cpu[p]));
      }
      System.out.printf("  %-30s wall median %7.2f ms   cpu median %7.2f ms%n", "whole block", median(totalWall),
          median(totalCpu));
    }
  }

  private static long hasherId = -1;

  /** CPU time of this thread and of the ledger's hashing thread (looked up once it exists). */
  private static long cpu(ThreadMXBean mx) {
    if (hasherId < 0) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("ledger-state-hasher")) {
          hasherId = t.getId();
        }
      }
    }
    long total = mx.getCurrentThreadCpuTime();
    if (hasherId >= 0) {
      total += Math.max(0, mx.getThreadCpuTime(hasherId));
    }
    return total;
  }

  private static double median(long[] values) {
    long[] rest = Arrays.copyOfRange(values, values.length / 4, values.length);
    Arrays.sort(rest);
    return rest[rest.length / 2] / 1e6;
  }
}
