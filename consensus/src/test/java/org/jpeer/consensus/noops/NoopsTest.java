package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * one, over chaincode and RocksDB, lives in the peer module and is tested there); the timer is manual.
 */
class NoopsTest {

  /** Records batches; blocks inside a batch while the gate is closed. */
  static final class RecordingExecutor implements BatchExecutor {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
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
      return new BatchOutcome(batches.size(), txs.size(), List.of(), BlockchainInfo.getDefaultInstance());
    }
  }

  static final class ManualTimer implements Timer {
    final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
      scheduled.add(action);
      return () -> scheduled.remove(action);
    }

    void fireAll() {
      List<Runnable> now = new ArrayList<>(scheduled);
      scheduled.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void close() {}
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static Transaction tx(int i) {
    return Transaction.newBuilder().setTxid("tx" + i).build();
  }

  @Test
  void loneTransactionIsCommittedWithoutWaitingForTheTimer() {
    RecordingExecutor ex = new RecordingExecutor();
    ManualTimer timer = new ManualTimer();
    try (Noops noops = new Noops(new NoopsConfig(500, Duration.ofHours(1)), 10, ex, Network.ALONE, timer)) {
      noops.start();
      assertThat(noops.submit(tx(1))).isTrue();
      await(() -> ex.batches.size() == 1);
      assertThat(ex.batches).containsExactly(List.of("tx1"));
      assertThat(timer.scheduled).isEmpty();
      await(() -> noops.pending() == 0);
    }
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
      noops.submit(tx(0));
      ex.entered.await(10, TimeUnit.SECONDS);
      noops.submit(tx(1));
      noops.submit(tx(2));
      await(() -> timer.scheduled.size() == 1);
      timer.fireAll();
      await(() -> noops.pending() == 3 && timer.scheduled.isEmpty());
      noops.submit(tx(3)); // after the cut: a new collection with its own timer
      await(() -> timer.scheduled.size() == 1);
      ex.gate.countDown();
      await(() -> ex.batches.size() == 3);
      assertThat(ex.batches).containsExactly(List.of("tx0"), List.of("tx1", "tx2"), List.of("tx3"));
    }
  }

  @Test
  void failingCommitReleasesRoomAndTheLoopGoesOn() {
    List<List<String>> seen = new CopyOnWriteArrayList<>();
    BatchExecutor flaky = (txs, metadata) -> {
      seen.add(txs.stream().map(Transaction::getTxid).toList());
      if (seen.size() == 1) {
        throw new IllegalStateException("disk full");
      }
      return new BatchOutcome(seen.size(), txs.size(), List.of(), BlockchainInfo.getDefaultInstance());
    };
    try (Noops noops = new Noops(NoopsConfig.DEFAULTS, 1, flaky, Network.ALONE, new ManualTimer())) {
      noops.start();
      assertThat(noops.submit(tx(1))).isTrue();
      await(() -> noops.pending() == 0);
      assertThat(noops.submit(tx(2))).isTrue();
      await(() -> seen.size() == 2);
    }
  }

  @Test
  void broadcastsSubmittedTransactionsAndOrdersThoseFromOtherValidators() {
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
      noops.submit(tx(1));
      await(() -> ex.batches.size() == 1);
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).getType()).isEqualTo(Message.Type.CONSENSUS);
      noops.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(TransactionBlock.newBuilder().addTransactions(tx(2)).build().toByteString()).build(), "vp1");
      noops.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS)
          .setPayload(com.google.protobuf.ByteString.copyFromUtf8("garbage")).build(), "vp1");
      await(() -> ex.batches.size() == 2);
      assertThat(ex.batches.get(1)).containsExactly("tx2");
    }
  }
}
