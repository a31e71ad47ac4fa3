package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

class BatcherTest {

  private static Transaction tx(int i) {
    return Transaction.newBuilder().setTxid("tx" + i).build();
  }

  private static List<String> executed(List<Batcher.Action> actions) {
    List<String> ids = new ArrayList<>();
    for (Batcher.Action a : actions) {
      if (a instanceof Batcher.Execute e) {
        e.batch().forEach(t -> ids.add(t.getTxid()));
      }
    }
    return ids;
  }

  @Test
  void loneTransactionIsExecutedAtOnceWithoutTimer() {
    Batcher b = new Batcher(500);
    List<Batcher.Action> actions = b.onTransaction(tx(1));
    assertThat(actions).containsExactly(new Batcher.Execute(List.of(tx(1))));
  }

  @Test
  void whileBusyTransactionsCollectAndGoTogetherWhenExecutorIsFree() {
    Batcher b = new Batcher(500);
    b.onTransaction(tx(1));
    List<Batcher.Action> second = b.onTransaction(tx(2));
    assertThat(second).containsExactly(new Batcher.StartTimer(1));
    assertThat(b.onTransaction(tx(3))).isEmpty();
    List<Batcher.Action> afterExecuted = b.onExecuted();
    assertThat(afterExecuted).containsExactly(new Batcher.CancelTimer(), new Batcher.Execute(List.of(tx(2), tx(3))));
    assertThat(b.onExecuted()).isEmpty();
    assertThat(b.idle()).isTrue();
  }

  @Test
  void fullBlockIsCutWhileBusyAndLaterOnesStartANewBlock() {
    Batcher b = new Batcher(2);
    b.onTransaction(tx(0));
    assertThat(b.onTransaction(tx(1))).containsExactly(new Batcher.StartTimer(1));
    assertThat(b.onTransaction(tx(2))).containsExactly(new Batcher.CancelTimer());
    assertThat(b.onTransaction(tx(3))).containsExactly(new Batcher.StartTimer(2));
    assertThat(executed(b.onExecuted())).containsExactly("tx1", "tx2");
    assertThat(executed(b.onExecuted())).containsExactly("tx3");
    assertThat(b.onExecuted()).isEmpty();
  }

  @Test
  void timerCutsTheCollectionSoLaterTransactionsGoToTheNextBlock() {
    Batcher b = new Batcher(500);
    b.onTransaction(tx(0));
    b.onTransaction(tx(1));
    assertThat(b.onTimer(1)).isEmpty(); // cut, but the executor is still busy
    assertThat(b.onTransaction(tx(2))).containsExactly(new Batcher.StartTimer(2));
    List<Batcher.Action> next = b.onExecuted();
    assertThat(executed(next)).containsExactly("tx1");
    assertThat(executed(b.onExecuted())).containsExactly("tx2");
  }

  @Test
  void staleTimerIsIgnored() {
    Batcher b = new Batcher(500);
    b.onTransaction(tx(0));
    b.onTransaction(tx(1)); // timer 1
    b.onExecuted(); // tx1 goes, timer 1 cancelled
    b.onTransaction(tx(2)); // timer 2
    assertThat(b.onTimer(1)).isEmpty();
    assertThat(executed(b.onExecuted())).containsExactly("tx2");
  }

  @Test
  void blockSizeOfOneExecutesEachTransactionAlone() {
    Batcher b = new Batcher(1);
    assertThat(executed(b.onTransaction(tx(0)))).containsExactly("tx0");
    assertThat(b.onTransaction(tx(1))).isEmpty();
    assertThat(b.onTransaction(tx(2))).isEmpty();
    assertThat(executed(b.onExecuted())).containsExactly("tx1");
    assertThat(executed(b.onExecuted())).containsExactly("tx2");
  }
}
