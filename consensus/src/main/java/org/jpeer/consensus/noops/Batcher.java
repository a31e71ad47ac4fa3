package org.jpeer.consensus.noops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.Transaction;

/**
 * The noops batching rules as a state machine without threads or clocks: the {@link Noops} loop
 * feeds it events and carries out the actions it returns.
 *
 * <p>A batch is handed to the executor as soon as the executor is free, so a lone transaction never
 * waits for {@code block.wait}. While the executor is busy, transactions collect; the collection is
 * cut into a batch when it reaches {@code block.size} or when {@code block.wait} has passed since its
 * first transaction, and cut batches wait their turn in order.
 */
final class Batcher {

  sealed interface Action {}

  record Execute(List<Transaction> batch) implements Action {}

  /** Start the block timer; its expiry must be reported with this generation. */
  record StartTimer(long generation) implements Action {}

  record CancelTimer() implements Action {}

  private final int blockSize;
  private List<Transaction> collecting = new ArrayList<>();
  private final ArrayDeque<List<Transaction>> cut = new ArrayDeque<>();
  private boolean executing;
  private boolean timerRunning;
  private long timerGeneration;

  Batcher(int blockSize) {
    this.blockSize = blockSize;
  }

  List<Action> onTransaction(Transaction tx) {
    List<Action> actions = new ArrayList<>(2);
    collecting.add(tx);
    if (collecting.size() >= blockSize) {
      cutCollecting(actions);
    } else if (collecting.size() == 1 && executing) {
      timerRunning = true;
      actions.add(new StartTimer(++timerGeneration));
    }
    dispatch(actions);
    return actions;
  }

  List<Action> onTimer(long generation) {
    List<Action> actions = new ArrayList<>(2);
    if (timerRunning && generation == timerGeneration) {
      timerRunning = false;
      if (!collecting.isEmpty()) {
        cut.add(collecting);
        collecting = new ArrayList<>();
      }
      dispatch(actions);
    }
    return actions;
  }

  List<Action> onExecuted() {
    List<Action> actions = new ArrayList<>(2);
    executing = false;
    dispatch(actions);
    return actions;
  }

  /** Nothing is executing, cut or collecting. */
  boolean idle() {
    return !executing && cut.isEmpty() && collecting.isEmpty();
  }

  private void cutCollecting(List<Action> actions) {
    cut.add(collecting);
    collecting = new ArrayList<>();
    cancelTimer(actions);
  }

  private void cancelTimer(List<Action> actions) {
    if (timerRunning) {
      timerRunning = false;
      actions.add(new CancelTimer());
    }
  }

  private void dispatch(List<Action> actions) {
    if (executing) {
      return;
    }
    List<Transaction> next = cut.poll();
    if (next == null && !collecting.isEmpty()) {
      next = collecting;
      collecting = new ArrayList<>();
      cancelTimer(actions);
    }
    if (next != null) {
      executing = true;
      actions.add(new Execute(next));
    }
  }
}
