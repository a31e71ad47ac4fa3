package org.jpeer.peer.network;

import io.grpc.stub.CallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jpeer.protos.Message;

/**
 * The outbound side of one Chat stream: two bounded queues written to the stream on a pool thread,
 * only while gRPC says the stream is ready ({@code isReady} and its on-ready callback), so a peer
 * that reads slowly costs a bounded amount of memory here and never blocks the caller.
 *
 * <ul>
 *   <li>{@link #offer}: the hello, discovery and CONSENSUS messages. Never blocks; when the queue
 *       is full the message is refused (the caller counts it as dropped).
 *   <li>{@link #put}: state-transfer replies from the serving lane, which may wait for room (a
 *       snapshot is many messages). Sent after what {@link #offer} queued, so that consensus
 *       traffic is not held up behind a snapshot.
 * </ul>
 */
final class Outbox {
  private final ArrayBlockingQueue<Message> urgent;
  private final ArrayBlockingQueue<Message> bulk;
  private final Executor pool;
  private final Object writeLock;
  private final AtomicInteger drains = new AtomicInteger();
  private CallStreamObserver<Message> out; // guarded by writeLock
  private volatile boolean closed;
  private volatile Runnable onWriteFailure = () -> {};

  /**
   * @param writeLock guards every call on the stream's outbound observer (gRPC observers are not
   *     thread-safe); shared with the connection, which also requests messages and closes through it
   */
  Outbox(int urgentCapacity, int bulkCapacity, Executor pool, Object writeLock) {
    this.urgent = new ArrayBlockingQueue<>(urgentCapacity);
    this.bulk = new ArrayBlockingQueue<>(bulkCapacity);
    this.pool = pool;
    this.writeLock = writeLock;
  }

  /** The stream to write to, once gRPC has made it; queued messages go out when it is ready. */
  void attach(CallStreamObserver<Message> stream, Runnable onFailure) {
    synchronized (writeLock) {
      this.out = stream;
    }
    this.onWriteFailure = onFailure;
    schedule();
  }

  /** Queues a message without waiting; {@code false} when the queue is full or the stream closed. */
  boolean offer(Message msg) {
    if (closed || !urgent.offer(msg)) {
      return false;
    }
    schedule();
    return true;
  }

  /** Queues a state-transfer reply, waiting up to {@code timeout} for room; {@code false} if none came. */
  boolean put(Message msg, Duration timeout) throws InterruptedException {
    if (closed || !bulk.offer(msg, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    schedule();
    return !closed;
  }

  /** gRPC's on-ready callback: the stream can take more. */
  void onReady() {
    schedule();
  }

  /** Removes and returns what {@link #offer} queued and was not written yet. */
  List<Message> takeQueued() {
    List<Message> out = new ArrayList<>();
    synchronized (writeLock) {
      urgent.drainTo(out);
    }
    return out;
  }

  int queued() {
    return urgent.size() + bulk.size();
  }

  /** Drops what is queued; later offers are refused. */
  void close() {
    closed = true;
    urgent.clear();
    bulk.clear();
  }

  private void schedule() {
    if (drains.getAndIncrement() == 0) {
      try {
        pool.execute(this::drainLoop);
      } catch (RejectedExecutionException e) {
        drains.set(0);
      }
    }
  }

  private void drainLoop() {
    int missed = 1;
    while (true) {
      drain();
      missed = drains.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void drain() {
    boolean failed = false;
    synchronized (writeLock) {
      if (out == null || closed) {
        return;
      }
      try {
        while (!closed && out.isReady()) {
          Message next = urgent.poll();
          if (next == null) {
            next = bulk.poll();
          }
          if (next == null) {
            return;
          }
          out.onNext(next);
        }
      } catch (RuntimeException e) {
        // the call ended under us (cancelled, reset): the connection closes
        closed = true;
        failed = true;
      }
    }
    if (failed) {
      onWriteFailure.run();
    }
  }
}
