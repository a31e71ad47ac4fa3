package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jpeer.consensus.MemoryStore;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.noops.NoopsTest.ManualTimer;
import org.jpeer.consensus.noops.NoopsTest.RecordingExecutor;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

/**
 * Noops with durable intake. The store is a map (consensus does no I/O; the ledger's store is tested
 * in the ledger and, with SIGKILLs of a real peer, by {@code CrashUnderLoadIT}); a "crash" is a
 * consenter abandoned with its batch stuck in the executor, and a new one over the same store.
 */
class DurableIntakeTest {

  private static Transaction tx(String id) {
    return Transaction.newBuilder().setTxid(id).build();
  }

  private static Noops noops(RecordingExecutor ex, MemoryStore store, Set<String> settled) {
    return new Noops(new NoopsConfig(2, Duration.ofHours(1)), 10, ex, Network.ALONE, new ManualTimer(), store,
        settled::contains);
  }

  @Test
  void acceptedTransactionsAreStoredBeforeSubmitReturnsAndExecutedExactlyOnceAfterACrash() throws Exception {
    MemoryStore store = new MemoryStore();
    RecordingExecutor stuck = new RecordingExecutor();
    stuck.gate = new CountDownLatch(1); // the first batch never finishes: the process "dies" in it
    Noops first = noops(stuck, store, Set.of());
    first.start();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      assertThat(first.submit(tx(id))).isTrue();
      assertThat(store.readAll(IntakeRecords.PREFIX).values()).as("kept before " + id + " is acknowledged")
          .anyMatch(v -> java.util.Arrays.equals(v, tx(id).toByteArray()));
    }
    assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.size()).isEqualTo(5);

    // the crash happened after block [a, b] was committed and before its records were removed
    RecordingExecutor ex = new RecordingExecutor();
    try (Noops second = noops(ex, store, Set.of("a", "b"))) {
      assertThat(store.size()).as("a and b are in the chain: their records go").isEqualTo(3);
      assertThat(second.pending()).isEqualTo(3);
      second.start();
      assertThat(second.submit(tx("f"))).isTrue();
      List<String> executed = new java.util.ArrayList<>();
      while (executed.size() < 4) {
        executed.addAll(ex.nextBatch());
      }
      assertThat(executed).as("the recovered ones first, in the order accepted, each once").containsExactly("c", "d", "e", "f");
    }
    assertThat(ex.batches.stream().mapToInt(List::size).sum()).isEqualTo(4);
    assertThat(store.size()).as("every record of an executed transaction is removed by close at the latest").isZero();
    stuck.gate.countDown();
  }

  @Test
  void recordsOfExecutedTransactionsGoWithTheNextWriteNotInOneOfTheirOwn() throws Exception {
    MemoryStore store = new MemoryStore();
    RecordingExecutor ex = new RecordingExecutor();
    try (Noops noops = noops(ex, store, Set.of())) {
      noops.start();
      noops.submit(tx("a"));
      noops.submit(tx("b"));
      ex.nextBatch();
      Await.until(() -> noops.pending() == 0);
      int writes = store.writes;
      noops.submit(tx("c"));
      assertThat(store.writes).isEqualTo(writes + 1);
      assertThat(store.readAll(IntakeRecords.PREFIX)).hasSize(1);
    }
  }

  /** A condition awaited with a deadline (the test kit's Await depends on this module). */
  static final class Await {
    static void until(java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not within 10 s");
        }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // checking every ms, not guessing a duration
      }
    }
  }
}
