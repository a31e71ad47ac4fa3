package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.Timer;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Message;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.TransactionBlock;
import org.junit.jupiter.api.Test;

/**
 * The noops loop with real threads. The executor here is a stand-in that records batches (the real
 * one, over chaincode and RocksDB, lives in the executor module and is tested through the peer); the
 * timer is manual. The test waits on what the loop hands over (batches, timers), never polls.
 */
class NoopsTest {

  /** Records batches; blocks inside a batch while the gate is closed. */
  static final class RecordingExecutor implements BatchExecutor {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final BlockingQueue<List<String>> executed = new LinkedBlockingQueue<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public BatchOutcome executeAndCommit(List<Transaction> txs, byte[] metadata) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<String> ids = new ArrayList<>();
      txs.forEach(t -> ids.add(t.getTxid()));
      batches.add(ids);
      executed.add(ids);
      return new BatchOutcome(batches.size(), txs.size(), List.of(), BlockchainInfo.getDefaultInstance());
    }

    /** The next batch the loop had executed. */
    List<String> nextBatch() throws InterruptedException {
      return taken(executed.poll(10, TimeUnit.SECONDS), "a batch to be executed");
    }
  }

  static <T> T taken(T value, String what) {
    if (value == null) {
      throw new AssertionError("no sign within 10 s of " + what);
    }
    return value;
  }

  static final class ManualTimer implements Timer {
    final List<Runnable> scheduled = new CopyOnWriteArrayList<>();
    final BlockingQueue<Runnable> started = new LinkedBlockingQueue<>();
    final BlockingQueue<Runnable> cancelled = new LinkedBlockingQueue<>();
    volatile boolean closed;

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
      scheduled.add(action);
      started.add(action);
      return () -> {
        scheduled.remove(action);
        cancelled.add(action);
      };
    }

    /** Waits until the loop starts a timer. */
    void awaitScheduled() throws InterruptedException {
      taken(started.poll(10, TimeUnit.SECONDS), "a timer to be started");
    }

    void fireAll() {
      List<Runnable> now = new ArrayList<>(scheduled);
      scheduled.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static Transaction tx(int i) {
    return Transaction.newBuilder().setTxid("tx" + i).build();
  }

  @Test
  void loneTransactionIsCommittedWithoutWaitingForTheTimer() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ManualTimer timer = new ManualTimer();
    Noops noops = new Noops(new NoopsConfig(500, Duration.ofHours(1)), 10, ex, Network.ALONE, timer);
    noops.start();
    assertThat(noops.submit(tx(1))).isTrue();
    assertThat(ex.nextBatch()).containsExactly("tx1");
    noops.close(); // returns once the loop has seen the batch executed
    assertThat(timer.started).isEmpty();
    assertThat(ex.batches).containsExactly(List.of("tx1"));
    assertThat(noops.pending()).isZero();
  }

  @Test
  void fullQueueRefusesAndEveryAcceptedTransactionIsExecutedInOrder() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ex.gate = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer();
    Noops noops = new Noops(new NoopsConfig(3, Duration.ofHours(1)), 5, ex, Network.ALONE, timer);
    noops.start();
    List<String> accepted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 20; i++) {
      if (noops.submit(tx(i))) {
        accepted.add("tx" + i);
      } else {
        refused++;
      }
    }
    assertThat(accepted).hasSize(5);
    assertThat(refused).isEqualTo(15);
    assertThat(noops.pending()).isEqualTo(5);
    ex.gate.countDown();
    noops.close();
    List<String> all = new ArrayList<>();
    ex.batches.forEach(all::addAll);
    assertThat(all).containsExactlyElementsOf(accepted);
    assertThat(ex.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(3));
    assertThat(noops.pending()).isZero();
    assertThatThrownBy(() -> noops.submit(tx(99))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tx99");
  }

  @Test
  void timerCutsABlockWhileTheExecutorIsBusy() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ex.gate = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer();
    try (Noops noops = new Noops(new NoopsConfig(500, Duration.ofMillis(5)), 100, ex, Network.ALONE, timer)) {
      noops.start();
      assertThat(noops.submit(tx(0))).isTrue();
      assertThat(ex.entered.await(10, TimeUnit.SECONDS)).as("tx0 is executing").isTrue();
      assertThat(noops.submit(tx(1))).isTrue();
      assertThat(noops.submit(tx(2))).isTrue();
      timer.awaitScheduled();
      // the timer's event joins the loop's queue now, so it is handled before tx3's submission
      timer.fireAll();
      assertThat(noops.pending()).isEqualTo(3);
      assertThat(noops.submit(tx(3))).isTrue(); // after the cut: a new collection with its own timer
      timer.awaitScheduled();
      ex.gate.countDown();
      assertThat(List.of(ex.nextBatch(), ex.nextBatch(), ex.nextBatch()))
          .containsExactly(List.of("tx0"), List.of("tx1", "tx2"), List.of("tx3"));
    }
  }

  @Test
  void failingCommitReleasesRoomAndTheLoopGoesOn() throws Exception {
    BlockingQueue<List<String>> seen = new LinkedBlockingQueue<>();
    CountDownLatch secondSubmitted = new CountDownLatch(1);
    BatchExecutor flaky = (txs, metadata) -> {
      seen.add(txs.stream().map(Transaction::getTxid).toList());
      if (txs.get(0).getTxid().equals("tx1")) {
        try {
          // tx1 stays a batch of its own: tx2 arrives while it executes
          secondSubmitted.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("disk full");
      }
      return new BatchOutcome(2, txs.size(), List.of(), BlockchainInfo.getDefaultInstance());
    };
    Noops noops = new Noops(NoopsConfig.DEFAULTS, 2, flaky, Network.ALONE, new ManualTimer());
    noops.start();
    assertThat(noops.submit(tx(1))).isTrue();
    assertThat(taken(seen.poll(10, TimeUnit.SECONDS), "tx1 executing")).containsExactly("tx1");
    assertThat(noops.submit(tx(2))).isTrue();
    secondSubmitted.countDown();
    assertThat(taken(seen.poll(10, TimeUnit.SECONDS), "tx2 executing after the failed commit"))
        .containsExactly("tx2");
    noops.close();
    assertThat(noops.pending()).as("the failed batch's room is released too").isZero();
  }

  @Test
  void broadcastsSubmittedTransactionsAndOrdersThoseFromOtherValidators() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    List<Message> sent = new CopyOnWriteArrayList<>();
    Network net = new Network() {
      @Override
      public void broadcast(Message msg) {
        sent.add(msg);
      }

      @Override
      public void unicast(Message msg, String receiverPeerId) {}
    };
    try (Noops noops = new Noops(NoopsConfig.DEFAULTS, 10, ex, net, new ManualTimer())) {
      noops.start();
      assertThat(noops.submit(tx(1))).isTrue();
      assertThat(ex.nextBatch()).containsExactly("tx1");
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).getType()).isEqualTo(Message.Type.CONSENSUS);
      noops.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(TransactionBlock.newBuilder().addTransactions(tx(2)).build().toByteString()).build(), "vp1");
      noops.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(com.google.protobuf.ByteString.copyFromUtf8("garbage")).build(), "vp1");
      assertThat(ex.nextBatch()).containsExactly("tx2");
      assertThat(ex.executed).isEmpty();
    }
  }

  @Test
  void aFullBlockCutWhileTheTimerRunsCancelsTheTimer() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ex.gate = new CountDownLatch(1);
    ManualTimer timer = new ManualTimer();
    try (Noops noops = new Noops(new NoopsConfig(2, Duration.ofHours(1)), 10, ex, Network.ALONE, timer)) {
      noops.start();
      assertThat(noops.submit(tx(0))).isTrue();
      assertThat(ex.entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(noops.submit(tx(1))).isTrue();
      timer.awaitScheduled();
      assertThat(noops.submit(tx(2))).isTrue(); // the block is full: cut now, no timer needed
      taken(timer.cancelled.poll(10, TimeUnit.SECONDS), "the timer to be cancelled");
      assertThat(timer.scheduled).isEmpty();
      ex.gate.countDown();
      assertThat(List.of(ex.nextBatch(), ex.nextBatch())).containsExactly(List.of("tx0"), List.of("tx1", "tx2"));
    }
    assertThat(timer.closed).as("closing the consenter closes its timer").isTrue();
  }

  @Test
  void aQueueOfOneIsEnoughAndNoneIsRefused() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    try (Noops noops = new Noops(NoopsConfig.DEFAULTS, 1, ex, Network.ALONE, new ManualTimer())) {
      noops.start();
      assertThat(noops.submit(tx(1))).isTrue();
      assertThat(ex.nextBatch()).containsExactly("tx1");
    }
    assertThatThrownBy(() -> new Noops(NoopsConfig.DEFAULTS, 0, ex, Network.ALONE, new ManualTimer()))
        .hasMessage("noops capacity must be at least 1, got 0");
  }

  @Test
  void aTransactionFromAnotherValidatorTakesRoomInTheQueueToo() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ex.gate = new CountDownLatch(1);
    try (Noops noops = new Noops(new NoopsConfig(500, Duration.ofHours(1)), 2, ex, Network.ALONE, new ManualTimer())) {
      noops.start();
      noops.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(TransactionBlock.newBuilder().addTransactions(tx(1)).build().toByteString()).build(), "vp1");
      assertThat(noops.pending()).isEqualTo(1);
      assertThat(noops.submit(tx(2))).isTrue();
      assertThat(noops.submit(tx(3))).as("two of two places taken, one by the remote transaction").isFalse();
      ex.gate.countDown();
      assertThat(ex.nextBatch()).containsExactly("tx1");
      assertThat(ex.nextBatch()).containsExactly("tx2");
    }
  }

  /**
   * With an admission wait, a submit into a full queue is held until room frees (here: the block
   * executes) instead of being refused, so clients that retry at once stop spinning; without room
   * within the wait it is still refused.
   */
  @Test
  void aFullQueueHoldsASubmitForRoomUpToTheAdmissionWait() throws Exception {
    RecordingExecutor ex = new RecordingExecutor();
    ex.gate = new CountDownLatch(1);
    try (Noops noops = new Noops(new NoopsConfig(1, Duration.ofHours(1)), 1, ex, Network.ALONE, new ManualTimer(),
        null, txid -> false, Duration.ofMinutes(5))) {
      try {
        noops.start();
        assertThat(noops.submit(tx(1))).isTrue();
        ex.entered.await();
        java.util.concurrent.CompletableFuture<Boolean> held =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> noops.submit(tx(2)));
        assertThat(held).as("no room: the submit waits").isNotDone();
        ex.gate.countDown(); // block 1 executes, its room frees
        assertThat(held.get(1, java.util.concurrent.TimeUnit.MINUTES)).as("accepted once room freed").isTrue();
        assertThat(List.of(ex.nextBatch(), ex.nextBatch())).containsExactly(List.of("tx1"), List.of("tx2"));
      } finally {
        ex.gate.countDown(); // close waits for the executing block
      }
    }
    RecordingExecutor stuck = new RecordingExecutor();
    stuck.gate = new CountDownLatch(1);
    try (Noops noops = new Noops(new NoopsConfig(1, Duration.ofHours(1)), 1, stuck, Network.ALONE, new ManualTimer(),
        null, txid -> false, Duration.ofMillis(20))) {
      try {
        noops.start();
        assertThat(noops.submit(tx(1))).isTrue();
        assertThat(noops.submit(tx(2))).as("no room within the wait: refused").isFalse();
      } finally {
        stuck.gate.countDown();
      }
    }
    assertThatThrownBy(() -> new Noops(NoopsConfig.DEFAULTS, 1, ex, Network.ALONE, new ManualTimer(), null,
        txid -> false, Duration.ofMillis(-1))).hasMessageContaining("must not be negative");
  }
}
