package org.jpeer.bench.events;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Event;

/**
 * What one consumer of EventFanout received: per block of the schedule, when its BLOCK event came,
 * when its last chaincode event came, and which of its transactions' chaincode events came (so a
 * duplicate cannot hide a missing one). Called on the stream's transport thread; read by the main
 * thread once the stream is over, hence the lock (uncontended until then).
 */
final class FanoutConsumer implements EventStream.Listener {
  /** The most problems kept word for word; the rest are only counted. */
  private static final int KEPT = 20;

  private final int id;
  private final SyntheticBlocks blocks;
  private final long firstBlock;
  private final int blockCount;
  private final int blockSize;
  private final long[] blockAt;
  private final long[] lastEventAt;
  private final int[] eventCount;
  private final BitSet eventSeen;
  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private int blockEvents;
  private int chaincodeEvents;
  /** The block the next BLOCK event should be, by arrival order. */
  private long expectedBlock;
  private Status ended;

  FanoutConsumer(int id, SyntheticBlocks blocks, long firstBlock, int blockCount, int blockSize) {
    this.id = id;
    this.blocks = blocks;
    this.firstBlock = firstBlock;
    this.blockCount = blockCount;
    this.blockSize = blockSize;
    this.blockAt = new long[blockCount];
    this.lastEventAt = new long[blockCount];
    this.eventCount = new int[blockCount];
    this.eventSeen = new BitSet(blockCount * blockSize);
    this.expectedBlock = firstBlock;
  }

  @Override
  public synchronized void onEvent(Event event) {
    long now = System.nanoTime();
    switch (event.getEventCase()) {
      case BLOCK -> onBlock(event.getBlock(), now);
      case CHAINCODEEVENT -> onChaincodeEvent(event.getChaincodeEvent(), now);
      default -> problem("unexpected " + event.getEventCase() + " event");
    }
    if (complete()) {
      notifyAll();
    }
  }

  private void onBlock(Block block, long now) {
    blockEvents++;
    long byOrder = expectedBlock++;
    int n = block.getTransactionsCount();
    long first = n == 0 ? -1 : blocks.blockOf(block.getTransactions(0).getTxid());
    long last = n == 0 ? -1 : blocks.blockOf(block.getTransactions(n - 1).getTxid());
    if (n != blockSize || first != last || first < 0) {
      problem("BLOCK event #" + (byOrder - firstBlock) + " is not one of this run's blocks (" + n + " transactions, txids of blocks "
          + first + " and " + last + ")");
      return;
    }
    if (first != byOrder) {
      problem((first < byOrder ? "DUPLICATE or out-of-order" : "MISSING before it:")
          + " BLOCK event #" + (byOrder - firstBlock) + " should be block " + byOrder + " by arrival order, its txids say " + first);
      expectedBlock = first + 1; // number the following ones from what arrived
    }
    int i = (int) (first - firstBlock);
    if (i < 0 || i >= blockCount) {
      problem("BLOCK event for block " + first + ", outside the schedule's blocks " + firstBlock + ".."
          + (firstBlock + blockCount - 1));
    } else if (blockAt[i] != 0) {
      problem("DUPLICATE BLOCK event for block " + first);
    } else {
      blockAt[i] = now;
    }
  }

  private void onChaincodeEvent(ChaincodeEvent e, long now) {
    chaincodeEvents++;
    long b = blocks.blockOf(e.getTxID());
    int index = blocks.indexOf(e.getTxID());
    int i = (int) (b - firstBlock);
    if (b < 0 || i < 0 || i >= blockCount || index < 0 || index >= blockSize
        || !e.getChaincodeID().equals(blocks.chaincode()) || !e.getEventName().equals(SyntheticBlocks.EVENT_NAME)) {
      problem("chaincode event not of this run's schedule: txID " + e.getTxID() + ", event " + e.getEventName());
      return;
    }
    if (blockAt[i] == 0) {
      problem("chaincode event of block " + b + " before its BLOCK event");
    }
    int bit = i * blockSize + index;
    if (eventSeen.get(bit)) {
      problem("DUPLICATE chaincode event for " + e.getTxID());
      return;
    }
    eventSeen.set(bit);
    if (++eventCount[i] == blockSize) {
      lastEventAt[i] = now;
    }
  }

  @Override
  public synchronized void onEnd(Status status) {
    ended = status;
    notifyAll();
  }

  private void problem(String what) {
    problemCount++;
    if (problems.size() < KEPT) {
      problems.add(what);
    }
  }

  private boolean complete() {
    return blockEvents >= blockCount && chaincodeEvents >= blockCount * blockSize;
  }

  /** Waits until every expected event has come, the stream has ended, or the deadline (System.nanoTime). */
  synchronized void awaitAll(long deadlineNanos) throws InterruptedException {
    while (!complete() && ended == null) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Nanos (System.nanoTime) the BLOCK event of schedule block {@code i} arrived, 0 if it did not. */
  synchronized long blockAt(int i) {
    return blockAt[i];
  }

  /** Nanos the last of block {@code i}'s chaincode events arrived, 0 if not all did. */
  synchronized long lastEventAt(int i) {
    return lastEventAt[i];
  }

  synchronized int blockEvents() {
    return blockEvents;
  }

  synchronized int chaincodeEvents() {
    return chaincodeEvents;
  }

  synchronized Status ended() {
    return ended;
  }

  /**
   * Every problem seen, plus the blocks whose BLOCK event or chaincode events are missing; empty
   * when this consumer received exactly what was committed, once each.
   */
  synchronized List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    if (problemCount > problems.size()) {
      all.add("... and " + (problemCount - problems.size()) + " more");
    }
    int missingBlocks = 0;
    int missingEvents = 0;
    long firstMissing = -1;
    for (int i = 0; i < blockCount; i++) {
      boolean missing = blockAt[i] == 0 || eventCount[i] < blockSize;
      if (blockAt[i] == 0) {
        missingBlocks++;
      }
      missingEvents += blockSize - eventCount[i];
      if (missing && firstMissing < 0) {
        firstMissing = firstBlock + i;
      }
    }
    if (missingBlocks > 0 || missingEvents > 0) {
      all.add("MISSING: " + missingBlocks + " BLOCK events and " + missingEvents + " chaincode events, the first in block "
          + firstMissing);
    }
    return all;
  }

  int id() {
    return id;
  }
}
