package org.jpeer.peer.network;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jpeer.protos.Message;
import org.jpeer.protos.SyncBlockRange;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateDeltasRequest;
import org.jpeer.protos.SyncStateSnapshot;
import org.jpeer.protos.SyncStateSnapshotRequest;

/**
 * The state-transfer requests this peer has open on one stream: one per kind, each with a
 * correlation id from a counter of that kind (as the original's handler keeps one per request
 * type). A reply that carries another id is dropped and counted; one that matches waits in the
 * request's {@link Replies} and holds the stream's {@link InboundGate} until it is taken.
 */
final class SyncRequests {

  private final InboundGate gate;
  private final Outbox outbox;
  private final Counters counters;
  private final Slot<SyncBlocks> blocks = new Slot<>(InboundGate.Kind.BLOCKS);
  private final Slot<SyncStateDeltas> deltas = new Slot<>(InboundGate.Kind.DELTAS);
  private final Slot<SyncStateSnapshot> snapshot = new Slot<>(InboundGate.Kind.SNAPSHOT);
  private volatile boolean ended;

  SyncRequests(InboundGate gate, Outbox outbox, Counters counters) {
    this.gate = gate;
    this.outbox = outbox;
    this.counters = counters;
  }

  Optional<Replies<SyncBlocks>> blocks(long start, long end) {
    return blocks.open(id -> Messages.of(Message.Type.SYNC_GET_BLOCKS, range(id, start, end)));
  }

  Optional<Replies<SyncStateDeltas>> deltas(long start, long end) {
    return deltas.open(id -> Messages.of(Message.Type.SYNC_STATE_GET_DELTAS,
        SyncStateDeltasRequest.newBuilder().setRange(range(id, start, end)).build()));
  }

  Optional<Replies<SyncStateSnapshot>> snapshot() {
    return snapshot.open(id -> Messages.of(Message.Type.SYNC_STATE_GET_SNAPSHOT,
        SyncStateSnapshotRequest.newBuilder().setCorrelationId(id).build()));
  }

  private static SyncBlockRange range(long id, long start, long end) {
    return SyncBlockRange.newBuilder().setCorrelationId(id).setStart(start).setEnd(end).build();
  }

  /** Routes a SYNC_BLOCKS, SYNC_STATE_DELTAS or SYNC_STATE_SNAPSHOT reply (gRPC's thread; never blocks). */
  void reply(Message msg) throws InvalidProtocolBufferException {
    switch (msg.getType()) {
      case SYNC_BLOCKS -> {
        SyncBlocks r = SyncBlocks.parseFrom(msg.getPayload());
        blocks.deliver(r.getRange().getCorrelationId(), r);
      }
      case SYNC_STATE_DELTAS -> {
        SyncStateDeltas r = SyncStateDeltas.parseFrom(msg.getPayload());
        deltas.deliver(r.getRange().getCorrelationId(), r);
      }
      case SYNC_STATE_SNAPSHOT -> {
        SyncStateSnapshot r = SyncStateSnapshot.parseFrom(msg.getPayload());
        snapshot.deliver(r.getRequest().getCorrelationId(), r);
      }
      default -> throw new IllegalArgumentException("not a state-transfer reply: " + msg.getType());
    }
  }

  /** The stream has closed: every open request ends. */
  void end() {
    ended = true;
    blocks.end();
    deltas.end();
    snapshot.end();
  }

  @FunctionalInterface
  private interface RequestMaker {
    Message make(long correlationId);
  }

  private final class Slot<T> {
    private final InboundGate.Kind kind;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicReference<Pending<T>> open = new AtomicReference<>();

    Slot(InboundGate.Kind kind) {
      this.kind = kind;
    }

    Optional<Replies<T>> open(RequestMaker request) {
      Pending<T> p = new Pending<>(this, ids.incrementAndGet());
      Pending<T> previous = open.getAndSet(p);
      if (previous != null) {
        previous.close();
      }
      if (ended || !outbox.offer(request.make(p.id))) {
        p.close();
        return Optional.empty();
      }
      return Optional.of(p);
    }

    void deliver(long correlationId, T reply) {
      Pending<T> p = open.get();
      if (p == null || p.id != correlationId || !p.add(reply)) {
        counters.staleSyncReplies.increment();
      }
    }

    void end() {
      Pending<T> p = open.get();
      if (p != null) {
        p.end();
      }
    }
  }

  private final class Pending<T> implements Replies<T> {
    private static final Object END = new Object();
    private final Slot<T> slot;
    private final long id;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private boolean closed; // guarded by this
    private volatile boolean endSeen;

    Pending(Slot<T> slot, long id) {
      this.slot = slot;
      this.id = id;
    }

    synchronized boolean add(T reply) {
      if (closed) {
        return false;
      }
      gate.hold(slot.kind);
      queue.add(reply);
      return true;
    }

    void end() {
      endSeen = true;
      queue.add(END);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<T> next(Duration timeout) throws InterruptedException {
      Object o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (o == null) {
        return Optional.empty();
      }
      if (o == END) {
        queue.add(END);
        return Optional.empty();
      }
      gate.release(slot.kind, 1);
      return Optional.of((T) o);
    }

    @Override
    public boolean ended() {
      return endSeen;
    }

    @Override
    public void close() {
      List<Object> left = new ArrayList<>();
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        queue.drainTo(left);
      }
      int held = (int) left.stream().filter(o -> o != END).count();
      if (left.contains(END)) {
        queue.add(END);
      }
      slot.open.compareAndSet(this, null);
      gate.release(slot.kind, held);
    }
  }
}
