package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import static org.jpeer.examples.ExampleJars.jar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A measurement, not a test of speed (nothing here asserts a timing): how many example02 invokes
 * and queries per second go through the chaincode stream to a child process and the RocksDB
 * ledger. Run with {@code mvn -pl examples -am verify -Dit.test=ChaincodeThroughputIT
 * -Djpeer.measure=true}; it prints its numbers.
 */
@EnabledIfSystemProperty(named = "jpeer.measure", matches = "true",
    disabledReason = "a measurement; run it with -Djpeer.measure=true")
class ChaincodeThroughputIT {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void example02InvokesAndQueries() throws Exception {
    try (ChaincodeHarness peer = ChaincodeHarness.processRuntime(kit.dir())) {
      String name = peer.deploy(jar("example02"), "init", "a", "1000000", "b", "0");
      int blocks = 10;
      int perBlock = 500;
      warmUp(peer, name);
      long t0 = System.nanoTime();
      for (int b = 0; b < blocks; b++) {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < perBlock; i++) {
          txs.add(ChaincodeHarness.invokeTx(name, "invoke", "a", "b", "1"));
        }
        assertThat(peer.commit(txs).rejected()).isEmpty();
      }
      double invokeSeconds = (System.nanoTime() - t0) / 1e9;

      int queries = 5000;
      long t1 = System.nanoTime();
      for (int i = 0; i < queries; i++) {
        peer.query(name, "query", "b");
      }
      double querySeconds = (System.nanoTime() - t1) / 1e9;

      ExecutorService pool = Executors.newFixedThreadPool(4);
      long t2 = System.nanoTime();
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < queries; i++) {
        answers.add(pool.submit(() -> peer.query(name, "query", "b")));
      }
      for (Future<String> f : answers) {
        assertThat(f.get()).isEqualTo(Integer.toString(blocks * perBlock));
      }
      double parallelSeconds = (System.nanoTime() - t2) / 1e9;
      pool.shutdown();

      System.out.printf("MEASURE invokes: %d in %.2f s = %.0f/s (blocks of %d, each tx: "
              + "TRANSACTION, 2 GET_STATE, 2 PUT_STATE, COMPLETED)%n", blocks * perBlock,
          invokeSeconds, blocks * perBlock / invokeSeconds, perBlock);
      System.out.printf("MEASURE queries, one at a time: %d in %.2f s = %.0f/s%n", queries,
          querySeconds, queries / querySeconds);
      System.out.printf("MEASURE queries, 4 threads: %d in %.2f s = %.0f/s%n", queries,
          parallelSeconds, queries / parallelSeconds);
    }
  }

  private static void warmUp(ChaincodeHarness peer, String name) throws Exception {
    for (int i = 0; i < 2000; i++) {
      peer.query(name, "query", "a");
    }
  }
}
