package org.jpeer.consensus.pbft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.consensus.ChainView;
import org.jpeer.consensus.ConsensusStore;
import org.jpeer.consensus.Consenter;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.StateTransfer;
import org.jpeer.consensus.Timer;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Message;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PBFT consenter: one event-loop thread owns a {@link PbftCore} and carries out what it returns
 * — messages through the {@link Network}, batches on one executor thread through the
 * {@link BatchExecutor}, timers, records through the {@link ConsensusStore} and state transfers.
 *
 * <p>Intake is bounded: at most {@code capacity} local transactions are accepted and not yet
 * executed; beyond that {@link #submit} waits up to {@link #ADMISSION_WAIT} for room, then refuses
 * (the peer's "busy" answer). An accepted transaction
 * is written to the store (synced) before {@code submit} returns, so that it survives a crash: at the
 * next start it is broadcast again unless the chain already holds it. Messages from each other
 * replica pass through a bounded queue: when it is full, {@link #recvMsg} waits (backpressure on
 * that stream) instead of dropping.
 *
 * <p>Each loop turn takes all queued events, steps the core through them and writes every record
 * they asked for in one synced write before sending anything: a message is never sent before the
 * state it reflects is durable, so a replica restarted from its records never contradicts itself.
 */
public final class PbftConsenter implements Consenter {
  private static final Logger log = LoggerFactory.getLogger(PbftConsenter.class);
  /** Events from one other replica queued and not yet processed, before its stream must wait. */
  static final int PER_REPLICA_QUEUE = 1024;
  private static final int MAX_EVENTS_PER_TURN = 512;
  /** How long {@link #submit} waits for room in a full intake before it refuses. */
  static final Duration ADMISSION_WAIT = Duration.ofMillis(50);

  private final PbftConfig config;
  private final int self;
  private final BatchExecutor executor;
  private final Network network;
  private final StateTransfer stateTransfer;
  private final ChainView chain;
  private final ConsensusStore store;
  private final Timer timer;
  private final Clock clock;
  private final Semaphore room;
  private final Duration admissionWait;
  private final ViewChangeSignatures signatures;
  private final Semaphore[] fromReplica;
  private final LinkedBlockingQueue<Item> events = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<String> executedRecords = new ConcurrentLinkedQueue<>();
  private final ExecutorService executorThread;
  private final Thread loop;
  private final AtomicLong lastTimestamp = new AtomicLong();
  private final EnumMap<TimerKind, Timer.Cancellable> timers = new EnumMap<>(TimerKind.class);
  private final Object intake = new Object();
  private final AtomicLong refusedSenders = new AtomicLong();
  private PbftCore core;
  private volatile boolean queriesAllowed = true;
  private boolean started;
  private volatile boolean closed;

  /** What the loop takes: a core event, or one of its own. */
  private sealed interface Item {}

  private record CoreEvent(PbftEvent event, int fromReplica) implements Item {}

  private record BatchDone(long seqNo, BlockchainInfo info, int localRequests) implements Item {}

  private record TransferDone(long seqNo, BlockchainInfo reached) implements Item {}

  private record Stop() implements Item {}

  public PbftConsenter(PbftConfig config, int self, BatchExecutor executor, Network network,
      StateTransfer stateTransfer, ChainView chain, ConsensusStore store, Timer timer, Clock clock) {
    this(config, self, executor, network, stateTransfer, chain, store, timer, clock, ADMISSION_WAIT);
  }

  /**
   * With another wait for room than {@link #ADMISSION_WAIT}: {@code peer.validator.consensus.admissionwait}
   * (tests make it long to see it work).
   */
  public PbftConsenter(PbftConfig config, int self, BatchExecutor executor, Network network,
      StateTransfer stateTransfer, ChainView chain, ConsensusStore store, Timer timer, Clock clock,
      Duration admissionWait) {
    this(config, self, executor, network, stateTransfer, chain, store, timer, clock, admissionWait,
        ViewChangeSignatures.UNSIGNED);
  }

  /** @param signatures how VIEW-CHANGEs are signed and checked: real ones with {@code security.enabled} */
  public PbftConsenter(PbftConfig config, int self, BatchExecutor executor, Network network,
      StateTransfer stateTransfer, ChainView chain, ConsensusStore store, Timer timer, Clock clock,
      Duration admissionWait, ViewChangeSignatures signatures) {
    this.signatures = signatures;
    if (self < 0 || self >= config.n()) {
      throw new IllegalArgumentException("PBFT replica id " + self + " is not in 0.." + (config.n() - 1)
          + ": peer.id must be vp0..vp" + (config.n() - 1) + " with general.N=" + config.n());
    }
    this.config = config;
    this.self = self;
    this.executor = executor;
    this.network = network;
    this.stateTransfer = stateTransfer;
    this.chain = chain;
    this.store = store;
    this.timer = timer;
    this.clock = clock;
    this.room = new Semaphore(config.capacity());
    this.admissionWait = admissionWait;
    this.fromReplica = new Semaphore[config.n()];
    for (int i = 0; i < config.n(); i++) {
      fromReplica[i] = new Semaphore(PER_REPLICA_QUEUE);
    }
    this.executorThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "pbft-executor"));
    this.loop = new Thread(this::run, "pbft");
  }

  /** The replica id of a PeerID name {@code vp<n>}, if it is one of N. */
  public static Optional<Integer> replicaId(String peerId, int n) {
    if (peerId == null || !peerId.matches("vp(0|[1-9][0-9]{0,8})")) {
      return Optional.empty();
    }
    int id = Integer.parseInt(peerId.substring(2));
    return id < n ? Optional.of(id) : Optional.empty();
  }

  @Override
  public void start() {
    synchronized (intake) {
      if (started || closed) {
        throw new IllegalStateException("the PBFT consenter was already started or closed");
      }
      started = true;
    }
    Map<String, byte[]> records = store.readAll("");
    long lastExec = Digests.seqNo(chain.headMetadata());
    BlockchainInfo info = chain.blockchainInfo();
    core = PbftCore.create(config, self, records, lastExec, info, System.nanoTime(), signatures);
    events.add(new CoreEvent(new PbftEvent.Start(), -1));
    int restored = resubmitStoredRequests(records);
    loop.start();
    log.info("PBFT consenter started as replica {} of {} (f={}, K={}, L={}, batchsize={}), view {}, last executed {},"
            + " {} accepted requests restored", self, config.n(), config.f(), config.k(), config.logSize(),
        config.batchSize(), core.view(), lastExec, restored);
  }

  /** Accepted requests the chain does not hold are broadcast again; the others' records are dropped. */
  private int resubmitStoredRequests(Map<String, byte[]> records) {
    TreeMap<RequestKey, Request> pending = new TreeMap<>();
    List<String> done = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      if (!e.getKey().startsWith(PbftRecords.REQUEST_PREFIX)) {
        continue;
      }
      try {
        Request r = Request.parseFrom(e.getValue());
        if (r.getReplicaId() == self && !chain.hasTransaction(Transaction.parseFrom(r.getPayload()).getTxid())) {
          pending.put(RequestKey.of(r), r);
          continue;
        }
      } catch (InvalidProtocolBufferException ex) {
        log.warn("dropping the unreadable stored request {}: {}", e.getKey(), ex.getMessage());
      }
      done.add(e.getKey());
    }
    if (!done.isEmpty()) {
      store.write(Map.of(), done);
    }
    for (Request r : pending.values()) {
      RequestKey key = RequestKey.of(r);
      lastTimestamp.accumulateAndGet(key.seconds() * 1_000_000_000L + key.nanos(), Math::max);
      room.acquireUninterruptibly(); // the capacity was enough when they were accepted
      events.add(new CoreEvent(new PbftEvent.LocalRequest(r), -1));
    }
    return pending.size();
  }

  @Override
  public boolean submit(Transaction tx) {
    if (closed) {
      throw new IllegalStateException("the consenter is shut down; transaction " + tx.getTxid() + " not accepted");
    }
    if (!awaitRoom()) {
      return false;
    }
    Request request = Request.newBuilder().setTimestamp(nextTimestamp()).setPayload(tx.toByteString())
        .setReplicaId(self).build();
    try {
      store.write(Map.of(PbftRecords.REQUEST_PREFIX + RequestKey.of(request).storeSuffix(), request.toByteArray()),
          List.of());
    } catch (RuntimeException e) {
      room.release();
      throw new IllegalStateException("transaction " + tx.getTxid() + " could not be stored: " + e.getMessage(), e);
    }
    synchronized (intake) {
      if (closed) {
        // Stored but not handed to the loop: it is broadcast at the next start.
        return true;
      }
      events.add(new CoreEvent(new PbftEvent.LocalRequest(request), -1));
    }
    return true;
  }

  /**
   * A permit of the intake, waiting up to the admission wait when it is full. Clients that
   * retry a refusal at once (16 such connections sent 11,000 refusals a second to one peer on the
   * 2-core machine, and the refusals took the CPU the replicas needed, so commits fell from 530 to
   * 150 a second) are paced by the wait, and a request that arrives just before a batch executes
   * is accepted instead of refused.
   */
  private boolean awaitRoom() {
    try {
      return room.tryAcquire(admissionWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Strictly increasing per replica: request keys are (replica, timestamp). */
  private Timestamp nextTimestamp() {
    Instant now = clock.instant();
    long nanos = lastTimestamp.accumulateAndGet(now.getEpochSecond() * 1_000_000_000L + now.getNano(),
        (last, t) -> Math.max(last + 1, t));
    return Timestamp.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
  }

  @Override
  public void recvMsg(Message msg, String senderPeerId) {
    Optional<Integer> sender = replicaId(senderPeerId, config.n());
    if (sender.isEmpty() || sender.get() == self) {
      if (refusedSenders.getAndIncrement() % 1000 == 0) {
        log.warn("PBFT ignores consensus messages from {}: not one of the other replicas vp0..vp{} ({} so far)",
            senderPeerId, config.n() - 1, refusedSenders.get());
      }
      return;
    }
    if (msg.getType() != Message.Type.CONSENSUS) {
      log.debug("PBFT ignores a {} message from {}", msg.getType(), senderPeerId);
      return;
    }
    PbftEvent event;
    try {
      BatchMessage bm = parseBatchMessage(msg.getPayload());
      if (bm.hasRequest()) {
        if (alreadyExecuted(bm.getRequest())) {
          return;
        }
        event = new PbftEvent.RequestFrom(sender.get(), bm.getRequest());
      } else if (bm.getPayloadCase() == BatchMessage.PayloadCase.PBFT_MESSAGE) {
        event = new PbftEvent.MessageFrom(sender.get(), parsePbftMessage(bm.getPbftMessage()));
      } else {
        log.debug("PBFT ignores a {} batch message from {}", bm.getPayloadCase(), senderPeerId);
        return;
      }
    } catch (IOException e) {
      log.debug("PBFT ignores an undecodable consensus message from {}: {}", senderPeerId, e.getMessage());
      return;
    }
    Semaphore queue = fromReplica[sender.get()];
    try {
      while (!queue.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (closed) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (closed) {
      queue.release();
      return;
    }
    events.add(new CoreEvent(event, sender.get()));
  }

  /**
   * A request that reaches us after its transaction is in the chain (a late broadcast, a
   * retransmission) is dropped here: after a state transfer the core cannot know what the
   * transferred blocks held, and would keep such a request outstanding for ever.
   */
  private boolean alreadyExecuted(Request r) {
    try {
      return chain.hasTransaction(Transaction.parseFrom(r.getPayload()).getTxid());
    } catch (InvalidProtocolBufferException e) {
      return false; // undecodable: the core keeps it and the executor skips it
    }
  }

  /** Parses dropping unknown fields, as the 2016 Go runtime did: digests are taken over what we re-serialize. */
  static BatchMessage parseBatchMessage(ByteString bytes) throws IOException {
    return UnknownFields.strip(BatchMessage.parseFrom(bytes));
  }

  static PbftMessage parsePbftMessage(ByteString bytes) throws IOException {
    return UnknownFields.strip(PbftMessage.parseFrom(bytes));
  }

  @Override
  public void peerConnected(String peerId) {
    Optional<Integer> replica = replicaId(peerId, config.n());
    if (replica.isPresent() && replica.get() != self && !closed) {
      events.add(new CoreEvent(new PbftEvent.Connected(replica.get()), -1));
    }
  }

  @Override
  public int pending() {
    return config.capacity() - room.availablePermits();
  }

  @Override
  public boolean queriesAllowed() {
    return queriesAllowed;
  }

  /**
   * Stops the loop after the events it holds and waits for the batch being executed. Accepted
   * transactions not yet executed stay stored and are broadcast again at the next start (PBFT cannot
   * order them alone, unlike noops).
   */
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
    }
    executorThread.shutdown();
    try {
      if (!executorThread.awaitTermination(60, TimeUnit.SECONDS)) {
        log.warn("PBFT executor still busy after 60 s at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.values().forEach(Timer.Cancellable::cancel);
    timer.close();
    log.info("PBFT consenter stopped; {} accepted transactions not yet executed stay stored for the next start", pending());
  }

  // ------------------------------------------------------------------ the loop

  private void run() {
    List<Item> turn = new ArrayList<>(MAX_EVENTS_PER_TURN);
    boolean stop = false;
    while (!stop) {
      turn.clear();
      try {
        turn.add(events.take());
      } catch (InterruptedException e) {
        log.warn("PBFT loop interrupted; continuing until stopped");
        continue;
      }
      events.drainTo(turn, MAX_EVENTS_PER_TURN - 1);
      List<PbftAction> actions = new ArrayList<>();
      for (Item item : turn) {
        try {
          stop |= item instanceof Stop;
          PbftEvent event = toEvent(item);
          if (event != null && !(stop && item instanceof CoreEvent)) {
            actions.addAll(core.step(event));
          }
        } catch (RuntimeException e) {
          // A bug here must not stop ordering: log it and go on with the next event.
          log.error("PBFT loop failed on {}: {}", item.getClass().getSimpleName(), e.toString(), e);
        } finally {
          if (item instanceof CoreEvent ce && ce.fromReplica() >= 0) {
            fromReplica[ce.fromReplica()].release();
          }
        }
      }
      try {
        perform(actions);
      } catch (RuntimeException e) {
        log.error("PBFT loop could not carry out its actions: {}", e.toString(), e);
      }
    }
  }

  private PbftEvent toEvent(Item item) {
    if (item instanceof CoreEvent ce) {
      return ce.event();
    }
    if (item instanceof BatchDone d) {
      room.release(d.localRequests());
      return new PbftEvent.Executed(d.seqNo(), d.info());
    }
    if (item instanceof TransferDone t) {
      Set<RequestKey> executed = new HashSet<>();
      List<String> records = new ArrayList<>();
      for (Request r : core.outstandingRequests()) {
        try {
          if (chain.hasTransaction(Transaction.parseFrom(r.getPayload()).getTxid())) {
            RequestKey key = RequestKey.of(r);
            executed.add(key);
            if (r.getReplicaId() == self) {
              records.add(PbftRecords.REQUEST_PREFIX + key.storeSuffix());
            }
          }
        } catch (InvalidProtocolBufferException e) {
          // an undecodable request is skipped at execution; nothing to match here
        }
      }
      room.release(records.size());
      executedRecords.addAll(records);
      return new PbftEvent.StateUpdated(t.seqNo(), t.reached(), executed);
    }
    return null;
  }

  private void perform(List<PbftAction> actions) {
    Map<String, byte[]> puts = new LinkedHashMap<>();
    Set<String> deletes = new LinkedHashSet<>();
    for (String done; (done = executedRecords.poll()) != null; ) {
      deletes.add(done);
    }
    for (PbftAction a : actions) {
      if (a instanceof PbftAction.Persist p) {
        for (String d : p.deletes()) {
          puts.remove(d);
          deletes.add(d);
        }
        for (Map.Entry<String, byte[]> e : p.puts().entrySet()) {
          deletes.remove(e.getKey());
          puts.put(e.getKey(), e.getValue());
        }
      }
    }
    if (!puts.isEmpty() || !deletes.isEmpty()) {
      store.write(puts, deletes);
    }
    for (PbftAction a : actions) {
      if (a instanceof PbftAction.Send s) {
        send(s);
      } else if (a instanceof PbftAction.Execute x) {
        executorThread.execute(() -> execute(x));
      } else if (a instanceof PbftAction.StartTimer t) {
        Timer.Cancellable old = timers.put(t.kind(), timer.schedule(t.after(),
            () -> events.add(new CoreEvent(new PbftEvent.TimerExpired(t.kind(), t.generation()), -1))));
        if (old != null) {
          old.cancel();
        }
      } else if (a instanceof PbftAction.StopTimer t) {
        Timer.Cancellable old = timers.remove(t.kind());
        if (old != null) {
          old.cancel();
        }
      } else if (a instanceof PbftAction.TransferState t) {
        List<String> peers = t.replicas().stream().map(r -> "vp" + r).toList();
        stateTransfer.syncTo(t.target(), peers,
            reached -> events.add(new TransferDone(t.seqNo(), reached.orElse(null))));
      } else if (a instanceof PbftAction.StateValidity v) {
        queriesAllowed = v.valid();
      }
    }
  }

  private void send(PbftAction.Send s) {
    Message m = Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(s.message().toByteString()).build();
    for (int to : s.to()) {
      try {
        network.unicast(m, "vp" + to);
      } catch (IllegalArgumentException notConnected) {
        // A replica that is not connected catches up when it returns (retransmission, state transfer).
      }
    }
  }

  /** On the executor thread: decode, execute and commit; retried (by the timer) while the ledger refuses the commit. */
  private void execute(PbftAction.Execute x) {
    List<Transaction> txs = new ArrayList<>(x.requests().size());
    List<String> localRecords = new ArrayList<>();
    for (Request r : x.requests()) {
      try {
        txs.add(Transaction.parseFrom(r.getPayload()));
      } catch (InvalidProtocolBufferException e) {
        log.warn("sequence number {}: skipping a request of replica {} whose payload is not a transaction",
            x.seqNo(), r.getReplicaId());
      }
      if (r.getReplicaId() == self) {
        localRecords.add(PbftRecords.REQUEST_PREFIX + RequestKey.of(r).storeSuffix());
      }
    }
    commit(x, txs, localRecords, 100);
  }

  private void commit(PbftAction.Execute x, List<Transaction> txs, List<String> localRecords, long backoffMillis) {
    try {
      BatchOutcome outcome = executor.executeAndCommit(txs, x.metadata());
      log.debug("sequence number {} committed as block {}: {} transactions, {} failed", x.seqNo(),
          outcome.blockNumber(), outcome.committed(), outcome.rejected().size());
      // Only now may the records of our requests go: before the commit they are all that holds them.
      executedRecords.addAll(localRecords);
      events.add(new BatchDone(x.seqNo(), outcome.chainInfo(), localRecords.size()));
    } catch (RuntimeException e) {
      log.error("sequence number {} ({} transactions) could not be committed, retrying in {} ms: {}", x.seqNo(),
          txs.size(), backoffMillis, e.toString());
      long next = Math.min(backoffMillis * 2, 30_000);
      timer.schedule(java.time.Duration.ofMillis(backoffMillis), () -> {
        if (!executorThread.isShutdown()) {
          executorThread.execute(() -> commit(x, txs, localRecords, next));
        }
      });
    }
  }
}
