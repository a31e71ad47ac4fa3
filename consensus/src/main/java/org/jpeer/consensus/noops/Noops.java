package org.jpeer.consensus.noops;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.consensus.Consenter;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.Timer;
import org.jpeer.protos.Message;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.TransactionBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The noops consenter: no agreement, transactions are ordered as they arrive. One event-loop thread
 * owns the {@link Batcher}; batches run on one executor thread, one at a time, in order.
 *
 * <p>Backpressure: at most {@code capacity} transactions are accepted and not yet executed; beyond
 * that {@link #submit} refuses. Closing executes every accepted transaction before it returns.
 */
public final class Noops implements Consenter {

  private static final Logger log = LoggerFactory.getLogger(Noops.class);
  private static final byte[] NO_METADATA = new byte[0];

  private sealed interface Event {}

  private record Submitted(Transaction tx) implements Event {}

  private record TimerFired(long generation) implements Event {}

  private record Executed(int size) implements Event {}

  private record Stop() implements Event {}

  private final NoopsConfig config;
  private final BatchExecutor executor;
  private final Network network;
  private final Timer timer;
  private final int capacity;
  private final Semaphore room;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Batcher batcher;
  private final ExecutorService executorThread;
  private final Thread loop;
  private final Object intake = new Object();
  private boolean closed;
  private boolean started;
  private Timer.Cancellable runningTimer;

  public Noops(NoopsConfig config, int capacity, BatchExecutor executor, Network network, Timer timer) {
    if (capacity < 1) {
      throw new IllegalArgumentException("noops capacity must be at least 1, got " + capacity);
    }
    this.config = config;
    this.capacity = capacity;
    this.executor = executor;
    this.network = network;
    this.timer = timer;
    this.room = new Semaphore(capacity);
    this.batcher = new Batcher(config.blockSize());
    this.executorThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "noops-executor"));
    this.loop = new Thread(this::run, "noops");
  }

  @Override
  public void start() {
    synchronized (intake) {
      if (started || closed) {
        throw new IllegalStateException("the noops consenter was already started or closed");
      }
      started = true;
    }
    loop.start();
    log.info("noops consenter started: block.size={}, block.wait={}, capacity={}",
        config.blockSize(), config.blockWait(), capacity);
  }

  @Override
  public boolean submit(Transaction tx) {
    synchronized (intake) {
      if (closed) {
        throw new IllegalStateException("the consenter is shut down; transaction " + tx.getTxid() + " not accepted");
      }
      if (!room.tryAcquire()) {
        return false;
      }
      events.add(new Submitted(tx));
    }
    if (network != Network.ALONE) {
      network.broadcast(Message.newBuilder()
          .setType(Message.Type.CONSENSUS)
          .setTimestamp(now())
          .setPayload(TransactionBlock.newBuilder().addTransactions(tx).build().toByteString())
          .build());
    }
    return true;
  }

  @Override
  public void recvMsg(Message msg, String senderPeerId) {
    if (msg.getType() != Message.Type.CONSENSUS) {
      log.warn("noops ignores a {} message from {}", msg.getType(), senderPeerId);
      return;
    }
    TransactionBlock block;
    try {
      block = TransactionBlock.parseFrom(msg.getPayload());
    } catch (InvalidProtocolBufferException e) {
      log.warn("noops ignores a CONSENSUS message from {}: payload is not a TransactionBlock ({})",
          senderPeerId, e.getMessage());
      return;
    }
    for (Transaction tx : block.getTransactionsList()) {
      // Another validator's transaction: wait for room, as the original blocks its sender.
      room.acquireUninterruptibly();
      synchronized (intake) {
        if (closed) {
          room.release();
          log.warn("noops is shut down; dropped transaction {} from {}", tx.getTxid(), senderPeerId);
          return;
        }
        events.add(new Submitted(tx));
      }
    }
  }

  @Override
  public int pending() {
    return capacity - room.availablePermits();
  }

  @Override
  public void close() {
    synchronized (intake) {
      if (closed) {
        return;
      }
      closed = true;
      events.add(new Stop());
    }
    if (started) {
      try {
        loop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      // Never started: run the loop here so that accepted transactions are still executed.
      run();
    }
    executorThread.shutdown();
    timer.close();
    log.info("noops consenter stopped");
  }

  private void run() {
    boolean stopping = false;
    while (!(stopping && batcher.idle())) {
      Event event;
      try {
        event = events.take();
      } catch (InterruptedException e) {
        log.warn("noops loop interrupted; continuing until stopped");
        continue;
      }
      try {
        stopping |= handle(event);
      } catch (RuntimeException e) {
        // A bug here must not stop ordering: log it and go on with the next event.
        log.error("noops loop failed on {}: {}", event.getClass().getSimpleName(), e.toString(), e);
      }
    }
    if (runningTimer != null) {
      runningTimer.cancel();
    }
  }

  /** Returns whether {@code event} asks the loop to stop. */
  private boolean handle(Event event) {
    boolean stop = false;
    List<Batcher.Action> actions;
    if (event instanceof Submitted s) {
      actions = batcher.onTransaction(s.tx());
    } else if (event instanceof TimerFired t) {
      actions = batcher.onTimer(t.generation());
    } else if (event instanceof Executed x) {
      room.release(x.size());
      actions = batcher.onExecuted();
    } else {
      stop = true;
      actions = List.of();
    }
    for (Batcher.Action action : actions) {
      perform(action);
    }
    return stop;
  }

  private void perform(Batcher.Action action) {
    if (action instanceof Batcher.Execute e) {
      executorThread.execute(() -> execute(e.batch()));
    } else if (action instanceof Batcher.StartTimer t) {
      runningTimer = timer.schedule(config.blockWait(), () -> events.add(new TimerFired(t.generation())));
    } else if (runningTimer != null) { // CancelTimer
      runningTimer.cancel();
      runningTimer = null;
    }
  }

  private void execute(List<Transaction> batch) {
    try {
      BatchOutcome outcome = executor.executeAndCommit(batch, NO_METADATA);
      log.debug("block {} committed: {} transactions, {} failed",
          outcome.blockNumber(), outcome.committed(), outcome.rejected().size());
    } catch (RuntimeException e) {
      log.error("a batch of {} transactions (first {}) could not be committed: {}",
          batch.size(), batch.get(0).getTxid(), e.toString(), e);
    } finally {
      events.add(new Executed(batch.size()));
    }
  }

  private static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
