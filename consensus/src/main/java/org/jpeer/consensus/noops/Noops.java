package org.jpeer.consensus.noops;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.consensus.ConsensusStore;
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
 *
 * <p>Durable intake (with a {@link ConsensusStore}): a transaction a client submits is written to the
 * store, synced, before {@link #submit} accepts it, and its record is removed once its block is
 * committed; after a crash the next start executes the accepted transactions that are neither in the
 * chain nor recorded as failed, in the order they were accepted, before any new one. The original
 * keeps them in memory only, and a crash loses every transaction whose txid a client already has.
 * Transactions received from other validators are not kept here: their own peer keeps them.
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
  private final long admissionWaitNanos;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Batcher batcher;
  private final ExecutorService executorThread;
  private final Thread loop;
  private final Object intake = new Object();
  private final IntakeRecords records; // null: nothing kept (a consenter without a store)
  private final Map<Transaction, String> recordKeys = Collections.synchronizedMap(new IdentityHashMap<>());
  private boolean closed;
  private boolean started;
  private Timer.Cancellable runningTimer;

  /** A consenter that keeps accepted transactions in memory only (a crash loses those not executed). */
  public Noops(NoopsConfig config, int capacity, BatchExecutor executor, Network network, Timer timer) {
    this(config, capacity, executor, network, timer, null, txid -> false);
  }

  /**
   * A consenter with durable intake in {@code store}; {@code settled} says whether a transaction is
   * in the chain or recorded as failed (read at construction, to find what a crash left unexecuted).
   */
  public Noops(NoopsConfig config, int capacity, BatchExecutor executor, Network network, Timer timer,
      ConsensusStore store, Predicate<String> settled) {
    this(config, capacity, executor, network, timer, store, settled, Duration.ZERO);
  }

  /**
   * @param admissionWait how long {@link #submit} waits for room when {@code capacity} transactions
   *     are waiting, before it refuses: a client that retries a refusal at once is paced by the wait
   *     instead of costing the peer a request per refusal
   */
  public Noops(NoopsConfig config, int capacity, BatchExecutor executor, Network network, Timer timer,
      ConsensusStore store, Predicate<String> settled, Duration admissionWait) {
    if (capacity < 1) {
      throw new IllegalArgumentException("noops capacity must be at least 1, got " + capacity);
    }
    if (admissionWait.isNegative()) {
      throw new IllegalArgumentException("noops admission wait must not be negative, got " + admissionWait);
    }
    this.admissionWaitNanos = admissionWait.toNanos();
    this.config = config;
    this.capacity = capacity;
    this.executor = executor;
    this.network = network;
    this.timer = timer;
    this.records = store == null ? null : new IntakeRecords(store, settled);
    // recovered transactions hold their room as submitted ones do (below zero if the capacity shrank)
    this.room = new Semaphore(capacity - (records == null ? 0 : records.recovered().size()));
    this.batcher = new Batcher(config.blockSize());
    this.executorThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "noops-executor"));
    this.loop = new Thread(this::run, "noops");
  }

  /** A permit, waiting up to the admission wait (outside the intake lock: close must not wait for it). */
  private boolean awaitRoom() {
    if (room.tryAcquire()) {
      return true;
    }
    if (admissionWaitNanos == 0) {
      return false;
    }
    try {
      return room.tryAcquire(admissionWaitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void start() {
    synchronized (intake) {
      if (started || closed) {
        throw new IllegalStateException("the noops consenter was already started or closed");
      }
      started = true;
      if (records != null) {
        for (IntakeRecords.Kept kept : records.recovered()) {
          recordKeys.put(kept.tx(), kept.key());
          events.add(new Submitted(kept.tx()));
          broadcast(kept.tx());
        }
      }
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
    }
    if (!awaitRoom()) {
      synchronized (intake) {
        if (closed) { // closed while waiting: say so rather than "busy"
          throw new IllegalStateException("the consenter is shut down; transaction " + tx.getTxid() + " not accepted");
        }
      }
      return false;
    }
    String key = null;
    if (records != null) {
      try {
        key = records.keep(tx); // outside the lock: concurrent submits share one sync
      } catch (RuntimeException e) {
        room.release();
        throw new IllegalStateException("transaction " + tx.getTxid() + " could not be stored: " + e.getMessage(), e);
      }
    }
    synchronized (intake) {
      if (closed) {
        // kept, and executed at the next start (without a store: refused as shutting down)
        room.release();
        if (key == null) {
          throw new IllegalStateException("the consenter is shut down; transaction " + tx.getTxid() + " not accepted");
        }
        return true;
      }
      if (key != null) {
        recordKeys.put(tx, key);
      }
      events.add(new Submitted(tx));
    }
    broadcast(tx);
    return true;
  }

  private void broadcast(Transaction tx) {
    if (network != Network.ALONE) {
      network.broadcast(Message.newBuilder()
          .setType(Message.Type.CONSENSUS)
          .setTimestamp(now())
          .setPayload(TransactionBlock.newBuilder().addTransactions(tx).build().toByteString())
          .build());
    }
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
    if (records != null) {
      try {
        records.flush();
      } catch (RuntimeException e) {
        log.warn("Removing the records of executed transactions failed (they are recognised at the next start): {}",
            e.toString());
      }
    }
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
      if (records != null) {
        List<String> keys = new ArrayList<>(batch.size());
        for (Transaction tx : batch) {
          String key = recordKeys.remove(tx);
          if (key != null) {
            keys.add(key);
          }
        }
        records.executed(keys);
      }
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
