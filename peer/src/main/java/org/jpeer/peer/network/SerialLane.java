package org.jpeer.peer.network;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after the other, in submission order, on a shared pool, using at most one pool
 * thread at a time. A task may block (a consenter's full intake): that holds up this lane only.
 * The length of the lane is bounded by whoever submits (the stream's {@link InboundGate}).
 */
final class SerialLane {
  private static final Logger log = LoggerFactory.getLogger(SerialLane.class);

  private final String name;
  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  SerialLane(String name, Executor pool) {
    this.name = name;
    this.pool = pool;
  }

  void execute(Runnable task) {
    tasks.add(task);
    if (pending.getAndIncrement() == 0) {
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // the network is closing: nothing more runs
        tasks.clear();
        pending.set(0);
      }
    }
  }

  private void drain() {
    int missed = 1;
    while (true) {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("{}: a task failed: {}", name, e.toString(), e);
        }
      }
      missed = pending.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
