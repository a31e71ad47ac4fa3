package org.jpeer.consensus.pbft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.Checkpoint;
import org.jpeer.protos.pbft.Commit;
import org.jpeer.protos.pbft.FetchRequestBatch;
import org.jpeer.protos.pbft.NewView;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.PrePrepare;
import org.jpeer.protos.pbft.Prepare;
import org.jpeer.protos.pbft.Request;
import org.jpeer.protos.pbft.RequestBatch;
import org.jpeer.protos.pbft.ViewChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PBFT replica in batch mode (Fabric v0.6's {@code pbft-core.go} and {@code batch.go}), as a
 * state machine: {@link #step} takes one {@link PbftEvent} and returns the {@link PbftAction}s the
 * caller must carry out, in order. It reads no clock, does no I/O, starts no thread and holds no lock;
 * time enters as timer expiries, randomness (only the byzantine test switch uses it) from a seed.
 *
 * <p>Messages, digests, quorums, checkpoints, watermarks and the view-change computations are the
 * original's, so that this replica can take the place of a Fabric one. Where the original loses
 * requests or liveness, this differs (each is listed in the README, "PBFT"):
 *
 * <ul>
 *   <li>requests leave the store only when executed; view changes and state transfers never drop
 *       them, and duplicates are recognised by their exact key, not by timestamp order;
 *   <li>a backup whose requests sit in no batch when its progress timer expires first sends them to
 *       the primary, and only suspects the primary on the next expiry;
 *   <li>replicas that lag (seen from the commits and checkpoints they send) are sent what they miss:
 *       the log tail, checkpoints, and the VIEW-CHANGE / NEW-VIEW of the current view; a replica
 *       that sees f+1 others in a higher view moves there; one behind a weak checkpoint it cannot
 *       execute to transfers state without waiting for more traffic;
 *   <li>at low load the primary cuts a batch as soon as fewer than two are in flight;
 *   <li>commits count only with a matching digest; its own VIEW-CHANGE completing a quorum is acted on.
 * </ul>
 */
public final class PbftCore {
  private static final Logger log = LoggerFactory.getLogger(PbftCore.class);

  /** Batches in flight below which the primary cuts at once instead of waiting to fill one. */
  static final int PIPELINE = 2;
  /** Sequence numbers of log tail sent to a lagging replica per retransmission. */
  static final int RETRANSMIT_SEQS = 8;
  /** High checkpoints remembered per replica for out-of-date detection. */
  private static final int HIGH_CHECKPOINTS_PER_REPLICA = 16;
  private static final byte[] DELETE = new byte[0];
  /** The new-view timeout stops doubling at this multiple of {@code timeout.viewchange}. */
  static final int MAX_NEW_VIEW_BACKOFF = 16;

  private final PbftConfig cfg;
  private final int self;
  private final int n;
  private final int f;
  private final long logSize;
  private final long k;
  private final Random random;
  private final ViewChangeSignatures signatures;
  /** Matching PREPAREs (besides the pre-prepare) that make a batch prepared: Q − 1. */
  private final int preparesNeeded;
  /** Matching COMMITs that commit it: Q. */
  private final int commitsNeeded;

  // ---- protocol state
  private long view;
  private boolean activeView = true;
  private long h;
  private long lastExec;
  /** Highest sequence number assigned in this view (the primary's next is seqNo + 1). */
  private long seqNo;
  /** The sequence number being executed, or -1. */
  private long currentExec = -1;
  private long viewChangeSeqNo = Long.MAX_VALUE;
  private Duration newViewTimeout;
  private BlockchainInfo chainInfo;

  private final TreeMap<Long, Map<Long, Certificate>> certs = new TreeMap<>();
  private final Map<String, RequestBatch> batches = new HashMap<>();
  /** Batches of pre-prepares of other views, by sequence number then digest (for commit certificates of those views). */
  private final TreeMap<Long, Map<String, RequestBatch>> learnedBatches = new TreeMap<>();
  /** Batches received and not yet committed, by digest. */
  private final LinkedHashMap<String, RequestBatch> outstandingBatches = new LinkedHashMap<>();
  private final TreeMap<Long, String> ownCheckpoints = new TreeMap<>();
  /** Checkpoints of the window: n → replica → id. */
  private final TreeMap<Long, Map<Integer, String>> checkpoints = new TreeMap<>();
  /** Checkpoints at or above the high watermark, per replica (out-of-date detection). */
  private final Map<Integer, TreeMap<Long, String>> highCheckpoints = new HashMap<>();
  private final TreeMap<Long, ViewChange.PQ> pset = new TreeMap<>();
  private final Map<PqKey, ViewChange.PQ> qset = new HashMap<>();
  /** VIEW-CHANGEs by view then replica (ours included), for our view and a few above it. */
  private final TreeMap<Long, Map<Integer, ViewChange>> viewChanges = new TreeMap<>();
  private final TreeMap<Long, NewView> newViews = new TreeMap<>();
  private ViewChange ownViewChange;
  /** The VIEW-CHANGEs we sent for the last few views, to re-send to a replica still collecting one of them. */
  private final TreeMap<Long, ViewChange> ownViewChangeHistory = new TreeMap<>();
  private final Set<String> missingBatches = new LinkedHashSet<>();
  /** Batches a commit quorum decided that we do not hold (fetched like missing ones, without holding up a new view). */
  private final Map<String, Long> wantedBatches = new LinkedHashMap<>();

  private final RequestStore requests = new RequestStore();
  private final ExecutedRequests executed;
  /** The primary's batch being filled. */
  private List<Request> filling = new ArrayList<>();

  private boolean skipInProgress;
  private boolean stateTransferring;
  private StateTarget highStateTarget;
  private boolean complained;
  /** The largest request or batch (bytes) under way since the last commit: it scales the progress timeout. */
  private long largestInFlight;
  private Duration progressTimerDuration = Duration.ZERO;
  /** The view whose view-change quorum was acted on (once per view). */
  private long quorumSeenFor = -1;

  // ---- what is known of the others (jpeer catch-up)
  /** Highest sequence number each replica sent a COMMIT (or checkpoint) for. */
  private final long[] progressOf;
  /** Highest checkpoint each replica sent: it executed at least that far. */
  private final long[] checkpointOf;
  private final long[] viewOf;
  /** The tick at which we last answered a nudge of each replica (one answer per tick). */
  private final long[] answeredAt;
  private final long[] vcAnsweredAt;
  private long ticks;
  private long hAtLastTick;
  private long lastExecAtLastTick;
  private Set<RequestKey> ownOutstandingAtLastTick = new HashSet<>();
  private boolean behindAtLastTick;

  // ---- timers
  private final long[] timerGeneration = new long[TimerKind.values().length];
  private final boolean[] timerRunning = new boolean[TimerKind.values().length];

  // ---- the step being built
  private List<PbftAction> out = new ArrayList<>();
  private final Map<String, byte[]> changes = new LinkedHashMap<>();
  private boolean qsetDirty;
  private boolean psetDirty;

  private record PqKey(long seqNo, String digest) {}

  /** A state-transfer target: a checkpoint f+1 replicas vouch for. */
  private record StateTarget(long seqNo, String id, List<Integer> replicas) {}

  /**
   * @param self this replica's id, 0..N−1 ({@code vp<self>})
   * @param restored what was persisted, read back by {@link PbftRecords#restore}
   * @param seed for the byzantine test switch only
   */
  PbftCore(PbftConfig cfg, int self, PbftRecords.Restored restored, long seed) {
    this(cfg, self, restored, seed, cfg.quorum() - 1, cfg.quorum());
  }

  /**
   * With other quorums than the original's: only for showing that the simulation catches a broken
   * rule (see the README).
   */
  PbftCore(PbftConfig cfg, int self, PbftRecords.Restored restored, long seed, int preparesNeeded, int commitsNeeded) {
    this(cfg, self, restored, seed, preparesNeeded, commitsNeeded, ViewChangeSignatures.UNSIGNED);
  }

  PbftCore(PbftConfig cfg, int self, PbftRecords.Restored restored, long seed, int preparesNeeded, int commitsNeeded,
      ViewChangeSignatures signatures) {
    this.signatures = signatures;
    this.preparesNeeded = preparesNeeded;
    this.commitsNeeded = commitsNeeded;
    if (self < 0 || self >= cfg.n()) {
      throw new IllegalArgumentException("replica id " + self + " is not in 0.." + (cfg.n() - 1)
          + " (peer.id must be vp0..vp" + (cfg.n() - 1) + " with general.N=" + cfg.n() + ")");
    }
    this.cfg = cfg;
    this.self = self;
    this.n = cfg.n();
    this.f = cfg.f();
    this.logSize = cfg.logSize();
    this.k = cfg.k();
    this.random = new Random(seed);
    this.newViewTimeout = cfg.viewChangeTimeout();
    this.executed = new ExecutedRequests(Math.max(100_000, 4 * cfg.capacity() * cfg.n()));
    this.progressOf = new long[n];
    this.checkpointOf = new long[n];
    this.viewOf = new long[n];
    this.answeredAt = new long[n];
    this.vcAnsweredAt = new long[n];
    restore(restored);
  }

  /** Creates a replica for the given settings from what {@code records} hold. */
  public static PbftCore create(PbftConfig cfg, int self, Map<String, byte[]> records, long lastExec,
      BlockchainInfo chainInfo, long seed) {
    return create(cfg, self, records, lastExec, chainInfo, seed, ViewChangeSignatures.UNSIGNED);
  }

  /** @param signatures how VIEW-CHANGEs are signed and checked ({@code security.enabled}) */
  public static PbftCore create(PbftConfig cfg, int self, Map<String, byte[]> records, long lastExec,
      BlockchainInfo chainInfo, long seed, ViewChangeSignatures signatures) {
    return new PbftCore(cfg, self, PbftRecords.restore(records, lastExec, chainInfo), seed, cfg.quorum() - 1,
        cfg.quorum(), signatures);
  }

  // =====================================================================================
  // Public face

  /** Processes one event and returns what to do, a {@link PbftAction.Persist} (if any) first. */
  public List<PbftAction> step(PbftEvent event) {
    out = new ArrayList<>();
    if (event instanceof PbftEvent.MessageFrom m) {
      onMessage(m.sender(), m.message());
    } else if (event instanceof PbftEvent.RequestFrom r) {
      onRequestFrom(r.sender(), r.request());
    } else if (event instanceof PbftEvent.LocalRequest r) {
      onLocalRequest(r.request());
    } else if (event instanceof PbftEvent.TimerExpired t) {
      onTimer(t.kind(), t.generation());
    } else if (event instanceof PbftEvent.Executed e) {
      onExecuted(e.seqNo(), e.info());
    } else if (event instanceof PbftEvent.StateUpdated u) {
      onStateUpdated(u.seqNo(), u.reached(), u.executed());
    } else if (event instanceof PbftEvent.Connected c) {
      onConnected(c.replica());
    } else if (event instanceof PbftEvent.Start) {
      onStart();
    }
    return finish();
  }

  public long view() {
    return view;
  }

  public boolean activeView() {
    return activeView;
  }

  public boolean isPrimary() {
    return primary(view) == self;
  }

  public long lastExecuted() {
    return lastExec;
  }

  public long lowWatermark() {
    return h;
  }

  /** Queries are refused while the state is being replaced by a transfer. */
  public boolean queriesAllowed() {
    return !skipInProgress;
  }

  /** Requests known and not executed (what a state transfer may have executed). */
  public Collection<Request> outstandingRequests() {
    return Collections.unmodifiableCollection(requests.all());
  }

  public int replicaId() {
    return self;
  }

  /** For traces: the last assigned sequence number, the batch being filled, batches in flight. */
  String traceState() {
    return "s" + seqNo + " f" + filling.size() + " o" + outstandingBatches.size() + " r" + requests.size()
        + (skipInProgress ? " SKIP" : "") + (stateTransferring ? " ST" : "") + (currentExec >= 0 ? " E" + currentExec : "")
        + (highStateTarget == null ? "" : " T" + highStateTarget.seqNo());
  }

  // =====================================================================================
  // Restore and start

  private void restore(PbftRecords.Restored r) {
    chainInfo = r.chainInfo();
    lastExec = r.lastExec();
    for (ViewChange.PQ p : r.pset()) {
      pset.merge(p.getSequenceNumber(), p, (a, b) -> a.getView() >= b.getView() ? a : b);
      view = Math.max(view, p.getView());
    }
    for (ViewChange.PQ q : r.qset()) {
      qset.merge(new PqKey(q.getSequenceNumber(), q.getBatchDigest()), q, (a, b) -> a.getView() >= b.getView() ? a : b);
      view = Math.max(view, q.getView());
      seqNo = Math.max(seqNo, q.getSequenceNumber());
    }
    batches.putAll(r.batches());
    long low = lastExec;
    for (Map.Entry<Long, BlockchainInfo> c : r.checkpoints().entrySet()) {
      ownCheckpoints.put(c.getKey(), Digests.checkpointId(c.getValue()));
      low = Math.min(low, c.getKey());
    }
    h = low / k * k;
    ownCheckpoints.headMap(h).clear();
    pset.headMap(h, true).clear();
    qset.keySet().removeIf(q -> q.seqNo() <= h);
    seqNo = Math.max(seqNo, Math.max(lastExec, h));
    // The view: the highest one we pre-prepared, prepared, announced or installed.
    ownViewChange = r.viewChange();
    if (ownViewChange != null) {
      ownViewChangeHistory.put(ownViewChange.getView(), ownViewChange);
    }
    long announced = ownViewChange == null ? -1 : ownViewChange.getView();
    long installed = r.newView() == null ? -1 : r.newView().getView();
    long sent = r.sentNewView() == null ? -1 : r.sentNewView().getView();
    view = Math.max(view, Math.max(announced, Math.max(installed, sent)));
    if (ownViewChange != null && ownViewChange.getView() == view) {
      viewChanges.computeIfAbsent(view, v -> new HashMap<>()).put(self, ownViewChange);
    }
    if (installed == view) {
      newViews.put(view, r.newView());
    } else if (sent == view) {
      newViews.put(view, r.sentNewView()); // we announced it and died before installing it: install at start
    }
    // Active unless we announced this view and have not installed it.
    activeView = view == 0 && announced < 0 || installed == view || (announced < view && sent < view);
    // Our pre-prepares and prepares are facts we must not contradict: rebuild their certificates.
    for (ViewChange.PQ q : qset.values()) {
      long s = q.getSequenceNumber();
      if (s <= h || s > h + logSize) {
        continue;
      }
      String d = q.getBatchDigest();
      RequestBatch b = batches.get(d);
      if (!d.isEmpty() && b == null) {
        continue;
      }
      Certificate c = cert(q.getView(), s);
      if (c.prePrepare == null) {
        PrePrepare.Builder pp = PrePrepare.newBuilder().setView(q.getView()).setSequenceNumber(s).setBatchDigest(d)
            .setReplicaId(primary(q.getView()));
        if (b != null) {
          pp.setRequestBatch(b);
        }
        c.prePrepare = pp.build();
        c.digest = d;
        c.sentPrepare = primary(q.getView()) != self;
        if (b != null && s > lastExec) {
          outstandingBatches.put(d, b);
          learnBatchRequests(b);
        }
      }
    }
    for (long i = 0; i < n; i++) {
      progressOf[(int) i] = 0;
      viewOf[(int) i] = 0;
    }
    lastExecAtLastTick = lastExec;
    updateViewChangeSeqNo();
  }

  private void onStart() {
    if (lastExec % k == 0 && !ownCheckpoints.containsKey(lastExec)) {
      checkpoint(lastExec, chainInfo);
    }
    if (!activeView) {
      if (ownViewChange != null && ownViewChange.getView() == view) {
        broadcast(msg(b -> b.setViewChange(ownViewChange)));
        start(TimerKind.RESEND_VIEW_CHANGE, cfg.resendViewChangeTimeout());
      }
      processNewView();
    } else {
      armProgressTimers();
    }
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
    log.info("replica {} started: view {} ({}), h={}, lastExec={}, seqNo={}", self, view,
        activeView ? "active" : "changing", h, lastExec, seqNo);
  }

  // =====================================================================================
  // Requests and batching

  private void onLocalRequest(Request r) {
    if (r.getReplicaId() != self) {
      log.warn("replica {} ignores a local request that names replica {}", self, r.getReplicaId());
      return;
    }
    RequestKey key = RequestKey.of(r);
    if (executed.contains(key) || requests.contains(key)) {
      return;
    }
    send(others(), BatchMessage.newBuilder().setRequest(r).build());
    admit(key, r);
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
  }

  private void onRequestFrom(int sender, Request r) {
    if (r.getReplicaId() < 0 || r.getReplicaId() >= n) {
      log.debug("replica {} drops a request from {} that names replica {}", self, sender, r.getReplicaId());
      return;
    }
    RequestKey key = RequestKey.of(r);
    if (executed.contains(key) || requests.contains(key)) {
      return;
    }
    if (requests.countFrom(r.getReplicaId()) >= 2L * cfg.capacity()) {
      log.debug("replica {} holds {} requests of replica {} already; dropping one (its origin keeps it)",
          self, requests.countFrom(r.getReplicaId()), r.getReplicaId());
      return;
    }
    admit(key, r);
  }

  private void admit(RequestKey key, Request r) {
    requests.add(key, r);
    noteSize(r.getSerializedSize());
    if (isPrimary() && activeView && !skipInProgress && filling.size() < cfg.batchSize()) {
      requests.markPending(key);
      filling.add(r);
      maybeCutBatch();
    }
    armRequestTimerForUnbatched();
  }

  /** Cuts the batch being filled when it is full, or when little is in flight; else waits for the batch timer. */
  private void maybeCutBatch() {
    if (filling.isEmpty()) {
      return;
    }
    if (canPropose() && (filling.size() >= cfg.batchSize() || inFlight() < PIPELINE)) {
      sendBatch();
    } else if (!running(TimerKind.BATCH)) {
      start(TimerKind.BATCH, cfg.batchTimeout());
    }
  }

  private long inFlight() {
    return Math.max(seqNo - lastExec, outstandingBatches.size());
  }

  private boolean canPropose() {
    long next = seqNo + 1;
    return activeView && inWindow(next) && next <= h + logSize / 2 && next <= viewChangeSeqNo;
  }

  private void sendBatch() {
    stop(TimerKind.BATCH);
    if (filling.isEmpty()) {
      return;
    }
    RequestBatch batch = RequestBatch.newBuilder().addAllBatch(filling).build();
    filling = new ArrayList<>();
    recvRequestBatch(batch);
  }

  private void recvRequestBatch(RequestBatch batch) {
    byte[] bytes = batch.toByteArray(); // serialized once: for the digest and the record
    String digest = Digests.batchDigest(bytes);
    noteSize(bytes.length);
    storeBatch(digest, batch, bytes);
    outstandingBatches.put(digest, batch);
    if (activeView) {
      startProgressTimer();
    }
    if (isPrimary() && activeView) {
      stop(TimerKind.NULL_REQUEST);
      sendPrePrepare(batch, digest);
    }
  }

  /** The batch layer's "resubmit outstanding requests": the primary batches what no batch holds. */
  private void resubmitOutstandingRequests() {
    armRequestTimerForUnbatched();
    if (!(isPrimary() && activeView && !skipInProgress && !stateTransferring)) {
      return;
    }
    while (requests.hasUnbatched() && filling.size() < cfg.batchSize()) {
      filling.addAll(requests.takeUnbatched(cfg.batchSize() - filling.size()));
      if (filling.size() >= cfg.batchSize() && canPropose()) {
        sendBatch();
      }
    }
    maybeCutBatch();
  }

  // =====================================================================================
  // Normal case

  private void sendPrePrepare(RequestBatch batch, String digest) {
    long next = seqNo + 1;
    if (!digest.isEmpty()) {
      for (Certificate c : certsOfView(view)) {
        if (c.prePrepare != null && c.digest.equals(digest) && c.seqNo != next) {
          log.debug("replica {}: batch {} already has sequence number {}", self, digest, c.seqNo);
          return;
        }
      }
    }
    if (!inWindow(next) || next > h + logSize / 2 || next > viewChangeSeqNo) {
      log.debug("primary {} holds batch {}: sequence number {} outside h={} + L/2 or beyond {}",
          self, digest, next, h, viewChangeSeqNo);
      return;
    }
    seqNo = next;
    PrePrepare.Builder pp = PrePrepare.newBuilder().setView(view).setSequenceNumber(next).setBatchDigest(digest)
        .setReplicaId(self);
    if (batch != null) {
      pp.setRequestBatch(batch);
    }
    PrePrepare prePrepare = pp.build();
    Certificate c = cert(view, next);
    c.prePrepare = prePrepare;
    c.digest = digest;
    qsetDirty = true;
    broadcastProtocol(msg(b -> b.setPrePrepare(prePrepare)));
    maybeSendCommit(digest, view, next);
  }

  private void recvPrePrepare(PrePrepare pp, int sender) {
    if (sender == primary(pp.getView()) && (!activeView || pp.getView() != view)) {
      learnPrePrepare(pp);
      return;
    }
    if (!activeView || sender != primary(view) || !inWindowView(pp.getView(), pp.getSequenceNumber())) {
      return;
    }
    if (pp.getSequenceNumber() > viewChangeSeqNo) {
      log.info("replica {}: pre-prepare {} beyond the view-change point {}", self, pp.getSequenceNumber(), viewChangeSeqNo);
      sendViewChange();
      return;
    }
    Certificate c = cert(pp.getView(), pp.getSequenceNumber());
    String digest = pp.getBatchDigest();
    if (c.prePrepare != null) {
      if (c.digest.equals(digest)) {
        answerNudge(sender, pp.getView(), pp.getSequenceNumber());
      } else {
        log.warn("replica {}: primary {} sent two pre-prepares for view {} seqNo {}; starting a view change",
            self, sender, pp.getView(), pp.getSequenceNumber());
        sendViewChange();
      }
      return;
    }
    if (!digest.isEmpty() && !batches.containsKey(digest)) {
      byte[] bytes = pp.hasRequestBatch() ? pp.getRequestBatch().toByteArray() : null;
      if (bytes == null || !Digests.batchDigest(bytes).equals(digest)) {
        log.warn("replica {}: pre-prepare {} of primary {} does not carry the batch of its digest; ignored",
            self, pp.getSequenceNumber(), sender);
        return;
      }
      storeBatch(digest, pp.getRequestBatch(), bytes);
      outstandingBatches.put(digest, pp.getRequestBatch());
    }
    c.prePrepare = pp;
    c.digest = digest;
    if (!digest.isEmpty()) {
      learnBatchRequests(batches.get(digest));
      noteSize(batches.get(digest).getSerializedSize());
    }
    startProgressTimer();
    stop(TimerKind.NULL_REQUEST);
    if (!isPrimary() && prePrepared(digest, pp.getView(), pp.getSequenceNumber()) && !c.sentPrepare) {
      Prepare p = Prepare.newBuilder().setView(pp.getView()).setSequenceNumber(pp.getSequenceNumber())
          .setBatchDigest(digest).setReplicaId(self).build();
      c.sentPrepare = true;
      qsetDirty = true;
      recvPrepare(p, self);
      broadcastProtocol(msg(b -> b.setPrepare(p)));
    }
  }

  /**
   * The requests of a batch we accepted become known (as pending) even if their own broadcast never
   * reached us, so that if this batch is dropped by a view change they are batched again.
   */
  private void learnBatchRequests(RequestBatch batch) {
    for (Request r : batch.getBatchList()) {
      RequestKey key = RequestKey.of(r);
      if (!executed.contains(key) && r.getReplicaId() >= 0 && r.getReplicaId() < n) {
        requests.add(key, r);
        requests.markPending(key);
      }
    }
  }

  private void recvPrepare(Prepare p, int sender) {
    if (p.getReplicaId() == primary(p.getView()) || !inWindowView(p.getView(), p.getSequenceNumber())) {
      return;
    }
    Certificate c = cert(p.getView(), p.getSequenceNumber());
    if (c.prepares.putIfAbsent(sender, p) != null) {
      answerNudge(sender, p.getView(), p.getSequenceNumber());
    }
    // also on a duplicate: the pre-prepare may have come after the prepares (a primary that
    // installed its NEW-VIEW only once it had fetched a missing batch)
    maybeSendCommit(p.getBatchDigest(), p.getView(), p.getSequenceNumber());
  }

  private void maybeSendCommit(String digest, long v, long s) {
    Certificate c = cert(v, s);
    if (c.sentCommit || !prepared(digest, v, s)) {
      return;
    }
    Commit commit = Commit.newBuilder().setView(v).setSequenceNumber(s).setBatchDigest(digest).setReplicaId(self).build();
    c.sentCommit = true;
    psetDirty = true;
    recvCommit(commit, self);
    broadcastProtocol(msg(b -> b.setCommit(commit)));
  }

  private void recvCommit(Commit cm, int sender) {
    progressOf[sender] = Math.max(progressOf[sender], cm.getSequenceNumber());
    if (cm.getSequenceNumber() <= h && cm.getSequenceNumber() > 0 && sender != self && answeredAt[sender] != ticks + 1) {
      answeredAt[sender] = ticks + 1; // it is stuck below our window: our checkpoints tell it where we are
      sendCheckpointsTo(sender);
      return;
    }
    if (!inWindow(cm.getSequenceNumber())) {
      return;
    }
    if (cm.getView() != view) {
      learnCommit(cm, sender);
      return;
    }
    Certificate c = cert(cm.getView(), cm.getSequenceNumber());
    if (c.commits.putIfAbsent(sender, cm) != null) {
      answerNudge(sender, cm.getView(), cm.getSequenceNumber());
      return;
    }
    if (!c.committed && committed(c.digest, c.view, c.seqNo)) {
      c.committed = true;
      progressMade(c.digest);
      executeOutstanding();
      if (c.seqNo == viewChangeSeqNo) {
        log.info("replica {} reached the periodic view-change point {}", self, viewChangeSeqNo);
        sendViewChange();
      }
    }
  }

  /**
   * A COMMIT of another view (we are behind, or stranded in a view the others did not join) still
   * counts: 2f+1 matching commits mean f+1 correct replicas prepared that batch, so no view can decide
   * otherwise, and the batch may be executed without our taking part in that view.
   */
  private void learnCommit(Commit cm, int sender) {
    Map<Long, Certificate> byView = certs.get(cm.getSequenceNumber());
    if ((byView == null || !byView.containsKey(cm.getView())) && byView != null && byView.size() >= 2 * n) {
      return; // bound what replicas in other views can make us hold
    }
    Certificate c = cert(cm.getView(), cm.getSequenceNumber());
    if (c.commits.putIfAbsent(sender, cm) == null) {
      executeOutstanding();
    }
  }

  /** A pre-prepare of another view, kept for its batch only: what a commit certificate of that view needs. */
  private void learnPrePrepare(PrePrepare pp) {
    String d = pp.getBatchDigest();
    if (d.isEmpty() || batches.containsKey(d) || !inWindow(pp.getSequenceNumber()) || !pp.hasRequestBatch()) {
      return;
    }
    Map<String, RequestBatch> at = learnedBatches.computeIfAbsent(pp.getSequenceNumber(), x -> new HashMap<>());
    if (at.size() < n && Digests.batchDigest(pp.getRequestBatch()).equals(d)) {
      at.put(d, pp.getRequestBatch());
      if (pp.getSequenceNumber() == lastExec + 1) {
        executeOutstanding();
      }
    }
  }

  /** The digest decided for this certificate's sequence number, if its own view committed it or a commit quorum of its view agrees. */
  private String decidedDigest(Certificate c) {
    if (c.prePrepare != null && committed(c.digest, c.view, c.seqNo)) {
      return c.digest;
    }
    Map<String, Integer> votes = new HashMap<>();
    for (Commit cm : c.commits.values()) {
      String d = cm.getBatchDigest();
      if (votes.merge(d, 1, Integer::sum) >= commitsNeeded) {
        if (d.isEmpty() || batchFor(c.seqNo, d) != null) {
          return d;
        }
        if (wantedBatches.putIfAbsent(d, c.seqNo) == null) {
          softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod()); // fetched on the next tick
        }
      }
    }
    return null;
  }

  private RequestBatch batchFor(long s, String digest) {
    RequestBatch b = batches.get(digest);
    if (b == null) {
      Map<String, RequestBatch> at = learnedBatches.get(s);
      b = at == null ? null : at.get(digest);
    }
    return b;
  }

  private boolean prePrepared(String digest, long v, long s) {
    if (!digest.isEmpty() && !batches.containsKey(digest)) {
      return false;
    }
    ViewChange.PQ q = qset.get(new PqKey(s, digest));
    if (q != null && q.getView() == v) {
      return true;
    }
    Certificate c = existingCert(v, s);
    return c != null && c.prePrepare != null && c.prePrepare.getView() == v
        && c.prePrepare.getSequenceNumber() == s && c.digest.equals(digest);
  }

  private boolean prepared(String digest, long v, long s) {
    if (!prePrepared(digest, v, s)) {
      return false;
    }
    ViewChange.PQ p = pset.get(s);
    if (p != null && p.getView() == v && p.getBatchDigest().equals(digest)) {
      return true;
    }
    Certificate c = existingCert(v, s);
    return c != null && c.digest.equals(digest) && c.matchingPrepares() >= preparesNeeded;
  }

  private boolean committed(String digest, long v, long s) {
    if (!prepared(digest, v, s)) {
      return false;
    }
    Certificate c = existingCert(v, s);
    return c != null && c.matchingCommits() >= commitsNeeded;
  }

  // =====================================================================================
  // Execution

  private void executeOutstanding() {
    boolean nullExecuted = false;
    while (currentExec < 0 && !skipInProgress && !stateTransferring) {
      long s = lastExec + 1;
      String digest = decidedAt(s);
      if (digest == null) {
        break;
      }
      if (digest.isEmpty()) {
        lastExec = s; // a null request: nothing to execute, no block
        afterExecution();
        nullExecuted = true;
        continue;
      }
      RequestBatch batch = batchFor(s, digest);
      progressMade(digest); // also when decided by commit votes alone
      for (Request r : batch.getBatchList()) {
        RequestKey key = RequestKey.of(r);
        requests.remove(key);
        executed.add(key);
      }
      currentExec = s;
      out.add(new PbftAction.Execute(s, batch.getBatchList(), Digests.metadata(s)));
    }
    armProgressTimers();
    if (nullExecuted) {
      afterExecDone();
    }
  }

  /** A batch committed: the progress timer stops and the view-change back-off resets. */
  private void progressMade(String digest) {
    outstandingBatches.remove(digest);
    if (activeView) { // while changing views the same timer waits for the NEW-VIEW: leave it alone
      stop(TimerKind.REQUEST);
      largestInFlight = 0;
      newViewTimeout = cfg.viewChangeTimeout();
      complained = false;
    }
  }

  /** The digest decided for sequence number {@code s} in any view, or null. */
  private String decidedAt(long s) {
    Map<Long, Certificate> byView = certs.get(s);
    if (byView == null) {
      return null;
    }
    for (Certificate c : byView.values()) {
      String d = decidedDigest(c);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private void onExecuted(long s, BlockchainInfo info) {
    if (currentExec != s) {
      log.warn("replica {} was told sequence number {} executed while executing {}; ignored", self, s, currentExec);
      return;
    }
    currentExec = -1;
    lastExec = s;
    chainInfo = info;
    afterExecution();
    executeOutstanding();
    afterExecDone();
  }

  /** Checkpoint bookkeeping after lastExec moved. */
  private void afterExecution() {
    if (lastExec % k == 0) {
      checkpoint(lastExec, chainInfo);
    }
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
  }

  private void afterExecDone() {
    if (skipInProgress) {
      retryStateTransfer(null);
    }
    processNewView();
    resubmitOutstandingRequests();
  }

  /**
   * The progress timer, as the original's soft start, but one second longer per MiB of the largest
   * request or batch under way: a 12 MB Java deploy travels twice to every replica (request and
   * pre-prepare), is digested, parsed and written synced several times, which took 5 to 10 s on a
   * loaded 2-core machine, and a healthy primary must not be suspected for it. A running timer is
   * restarted when a larger item makes it longer.
   */
  private void startProgressTimer() {
    Duration d = cfg.requestTimeout().plusMillis(largestInFlight / (1L << 20) * 1000);
    if (!running(TimerKind.REQUEST) || d.compareTo(progressTimerDuration) > 0) {
      progressTimerDuration = d;
      start(TimerKind.REQUEST, d);
    }
  }

  private void noteSize(long bytes) {
    largestInFlight = Math.max(largestInFlight, bytes);
  }

  /** The original's two "start timer if outstanding requests": progress on batches, else null requests. */
  private void armProgressTimers() {
    if (skipInProgress || currentExec >= 0) {
      return;
    }
    if (!outstandingBatches.isEmpty() || hasUncommittedInView()) {
      if (activeView) {
        startProgressTimer();
      }
    } else if (!cfg.nullRequestTimeout().isZero() && activeView) {
      start(TimerKind.NULL_REQUEST, isPrimary() ? cfg.nullRequestTimeout() : cfg.nullRequestTimeout().plus(cfg.requestTimeout()));
    }
    armRequestTimerForUnbatched();
  }

  private void armRequestTimerForUnbatched() {
    if (skipInProgress || currentExec >= 0 || !activeView) {
      return;
    }
    // Held requests with no batch under way are suspicious too, even when all of them were once in a
    // batch (marked at a view change): seed 62371 left three replicas holding 32 such requests in a
    // view whose primary had moved on alone, with no timer running, for ever.
    if (requests.hasUnbatched() || (requests.size() > 0 && outstandingBatches.isEmpty())) {
      startProgressTimer();
    }
  }

  // =====================================================================================
  // Checkpoints and watermarks

  private void checkpoint(long s, BlockchainInfo info) {
    if (s % k != 0) {
      return;
    }
    String id = Digests.checkpointId(info);
    ownCheckpoints.put(s, id);
    changes.put(PbftRecords.CHECKPOINT_PREFIX + s, info.toByteArray());
    Checkpoint c = Checkpoint.newBuilder().setSequenceNumber(s).setReplicaId(self).setId(id).build();
    recvCheckpoint(c, self);
    broadcastProtocol(msg(b -> b.setCheckpoint(c)));
  }

  private void recvCheckpoint(Checkpoint c, int sender) {
    long s = c.getSequenceNumber();
    progressOf[sender] = Math.max(progressOf[sender], s);
    checkpointOf[sender] = Math.max(checkpointOf[sender], s);
    if (sender != self && outOfDate(c, sender)) {
      return;
    }
    if (!inWindow(s)) {
      if (s <= h) {
        answerStatus(sender, s);
      }
      return;
    }
    Map<Integer, String> at = checkpoints.computeIfAbsent(s, x -> new HashMap<>());
    if (at.putIfAbsent(sender, c.getId()) != null) {
      answerStatus(sender, s);
      return;
    }
    List<Integer> matching = new ArrayList<>();
    for (Map.Entry<Integer, String> e : at.entrySet()) {
      if (e.getValue().equals(c.getId())) {
        matching.add(e.getKey());
      }
    }
    if (new HashSet<>(at.values()).size() > f + 1) {
      log.error("replica {}: more than f+1 different checkpoints for sequence number {}: {}", self, s, at);
    }
    if (matching.size() == f + 1) {
      witnessWeakCheckpoint(s, c.getId(), matching);
    }
    if (matching.size() < cfg.quorum()) {
      return;
    }
    if (!ownCheckpoints.containsKey(s)) {
      if (skipInProgress && s >= h + logSize / 2) {
        moveWatermarks(s); // keep up with the network while transferring
      }
      return;
    }
    moveWatermarks(s);
    processNewView();
  }

  private void witnessWeakCheckpoint(long s, String id, List<Integer> replicas) {
    String own = ownCheckpoints.get(s);
    if (own != null && !own.equals(id)) {
      log.error("replica {}: f+1 replicas agree on checkpoint {} with a state different from ours; this ledger diverged", self, s);
      return;
    }
    StateTarget target = new StateTarget(s, id, List.copyOf(replicas));
    if (highStateTarget == null || highStateTarget.seqNo() < s) {
      highStateTarget = target;
    }
    if (skipInProgress) {
      retryStateTransfer(target);
    }
  }

  /**
   * The original's weakCheckpointSetOutOfRange: checkpoints at or beyond our high watermark from f+1
   * replicas mean we fell behind the window for good. The target is the highest such checkpoint f+1
   * of them agree on (the original moves to the (f+1)-th highest number and waits for later
   * checkpoints to name a target).
   */
  private boolean outOfDate(Checkpoint c, int sender) {
    long high = h + logSize;
    if (c.getSequenceNumber() < high) {
      TreeMap<Long, String> mine = highCheckpoints.get(sender);
      if (mine != null) {
        mine.headMap(high).clear();
      }
      return false;
    }
    TreeMap<Long, String> mine = highCheckpoints.computeIfAbsent(sender, x -> new TreeMap<>());
    mine.put(c.getSequenceNumber(), c.getId());
    while (mine.size() > HIGH_CHECKPOINTS_PER_REPLICA) {
      mine.pollFirstEntry();
    }
    Map<Long, Map<String, List<Integer>>> support = new TreeMap<>(Comparator.reverseOrder());
    for (Map.Entry<Integer, TreeMap<Long, String>> e : highCheckpoints.entrySet()) {
      for (Map.Entry<Long, String> cp : e.getValue().tailMap(high, true).entrySet()) {
        support.computeIfAbsent(cp.getKey(), x -> new TreeMap<>()).computeIfAbsent(cp.getValue(), x -> new ArrayList<>())
            .add(e.getKey());
      }
    }
    for (Map.Entry<Long, Map<String, List<Integer>>> at : support.entrySet()) {
      if (at.getKey() <= high) {
        continue;
      }
      for (Map.Entry<String, List<Integer>> id : at.getValue().entrySet()) {
        if (id.getValue().size() >= f + 1) {
          log.warn("replica {} is out of date: f+1 replicas have checkpoint {} beyond our high watermark {}",
              self, at.getKey(), high);
          for (String d : batches.keySet()) {
            changes.put(PbftRecords.BATCH_PREFIX + d, DELETE);
          }
          batches.clear();
          outstandingBatches.clear();
          moveWatermarks(at.getKey());
          enterStateTransferMode();
          stop(TimerKind.REQUEST);
          StateTarget target = new StateTarget(at.getKey(), id.getKey(), List.copyOf(id.getValue()));
          if (highStateTarget == null || highStateTarget.seqNo() < target.seqNo()) {
            highStateTarget = target;
          }
          retryStateTransfer(target);
          return true;
        }
      }
    }
    return false;
  }

  private void moveWatermarks(long s) {
    long newH = s / k * k;
    if (newH <= h && !(h == 0 && newH == 0)) {
      return;
    }
    // A batch with a certificate at or below the new low watermark is decided (we executed it, or a
    // state transfer brought its block): it is no longer outstanding.
    for (Map<Long, Certificate> byView : certs.headMap(newH, true).values()) {
      for (Certificate c : byView.values()) {
        outstandingBatches.remove(c.digest);
      }
    }
    Set<String> kept = new HashSet<>(outstandingBatches.keySet());
    for (Map<Long, Certificate> byView : certs.tailMap(newH, false).values()) {
      for (Certificate c : byView.values()) {
        kept.add(c.digest);
      }
    }
    for (Map<Long, Certificate> byView : certs.headMap(newH, true).values()) {
      for (Certificate c : byView.values()) {
        if (!c.digest.isEmpty() && !kept.contains(c.digest) && batches.remove(c.digest) != null) {
          changes.put(PbftRecords.BATCH_PREFIX + c.digest, DELETE);
        }
      }
    }
    certs.headMap(newH, true).clear();
    learnedBatches.headMap(newH, true).clear();
    wantedBatches.values().removeIf(seq -> seq <= newH);
    checkpoints.headMap(newH, true).clear();
    if (!pset.headMap(newH, true).isEmpty()) {
      pset.headMap(newH, true).clear();
      psetDirty = true;
    }
    if (qset.keySet().removeIf(q -> q.seqNo() <= newH)) {
      qsetDirty = true;
    }
    for (Iterator<Long> it = ownCheckpoints.headMap(newH, false).keySet().iterator(); it.hasNext(); ) {
      changes.put(PbftRecords.CHECKPOINT_PREFIX + it.next(), DELETE);
      it.remove();
    }
    h = newH;
    seqNo = Math.max(seqNo, h);
    if (isPrimary() && activeView) {
      resubmitRequestBatches();
      // Requests that waited for room in the window must not wait for a timer: batch them now.
      resubmitOutstandingRequests();
    }
  }

  /** The primary re-proposes batches it cut but could not yet assign (the window was full). */
  private void resubmitRequestBatches() {
    List<Map.Entry<String, RequestBatch>> waiting = new ArrayList<>();
    Set<String> assigned = new HashSet<>();
    for (Certificate c : certsOfView(view)) {
      if (c.prePrepare != null) {
        assigned.add(c.digest);
      }
    }
    for (Map.Entry<String, RequestBatch> e : outstandingBatches.entrySet()) {
      if (!assigned.contains(e.getKey())) {
        waiting.add(e);
      }
    }
    for (Map.Entry<String, RequestBatch> e : waiting) {
      if (!canPropose()) {
        break;
      }
      sendPrePrepare(e.getValue(), e.getKey());
    }
  }

  // =====================================================================================
  // View change

  private void sendViewChange() {
    stop(TimerKind.REQUEST);
    newViews.remove(view);
    view++;
    activeView = false;
    recomputePQ();
    // Certificates of older views are forgotten as in the original, except their COMMITs: a commit
    // quorum of an older view still decides its sequence number (learnCommit).
    for (Iterator<Map<Long, Certificate>> it = certs.values().iterator(); it.hasNext(); ) {
      Map<Long, Certificate> byView = it.next();
      byView.values().removeIf(c -> c.view < view && c.commits.isEmpty());
      for (Certificate c : byView.values()) {
        if (c.view < view) {
          c.prePrepare = null;
          c.prepares.clear();
        }
      }
      if (byView.isEmpty()) {
        it.remove();
      }
    }
    viewChanges.headMap(view).clear();
    ViewChange.Builder vc = ViewChange.newBuilder().setView(view).setH(h).setReplicaId(self);
    for (Map.Entry<Long, String> c : ownCheckpoints.entrySet()) {
      if (c.getKey() >= h && c.getKey() <= h + logSize) {
        vc.addCset(ViewChange.C.newBuilder().setSequenceNumber(c.getKey()).setId(c.getValue()));
      }
    }
    for (ViewChange.PQ p : pset.values()) {
      if (p.getSequenceNumber() > h && p.getSequenceNumber() <= h + logSize) {
        vc.addPset(p);
      }
    }
    qset.values().stream()
        .filter(q -> q.getSequenceNumber() > h && q.getSequenceNumber() <= h + logSize)
        .sorted(Comparator.comparingLong(ViewChange.PQ::getSequenceNumber).thenComparing(ViewChange.PQ::getBatchDigest))
        .forEach(vc::addQset);
    // With security off the "signature" is the message itself (reference §5.16).
    ViewChange unsigned = vc.build();
    ViewChange signed = unsigned.toBuilder()
        .setSignature(com.google.protobuf.ByteString.copyFrom(signatures.sign(unsigned.toByteArray()))).build();
    ownViewChange = signed;
    ownViewChangeHistory.put(view, signed);
    while (ownViewChangeHistory.size() > n + 2) {
      ownViewChangeHistory.pollFirstEntry();
    }
    changes.put(PbftRecords.VIEW_CHANGE, signed.toByteArray());
    log.info("replica {} sends VIEW-CHANGE for view {} (h={}, P={}, Q={})", self, view, h,
        signed.getPsetCount(), signed.getQsetCount());
    broadcastProtocol(msg(b -> b.setViewChange(signed)));
    start(TimerKind.RESEND_VIEW_CHANGE, cfg.resendViewChangeTimeout());
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
    recvViewChange(signed, self);
  }

  /** The original's calcPSet / calcQSet: what prepared / pre-prepared, keeping entries of later views. */
  private void recomputePQ() {
    for (Map<Long, Certificate> byView : certs.values()) {
      for (Certificate c : byView.values()) {
        if (c.prePrepare == null) {
          continue;
        }
        if (prepared(c.digest, c.view, c.seqNo)) {
          ViewChange.PQ old = pset.get(c.seqNo);
          if (old == null || old.getView() <= c.view) {
            pset.put(c.seqNo, pq(c));
          }
        }
        if (prePrepared(c.digest, c.view, c.seqNo)) {
          PqKey key = new PqKey(c.seqNo, c.digest);
          ViewChange.PQ old = qset.get(key);
          if (old == null || old.getView() <= c.view) {
            qset.put(key, pq(c));
          }
        }
      }
    }
  }

  private static ViewChange.PQ pq(Certificate c) {
    return ViewChange.PQ.newBuilder().setSequenceNumber(c.seqNo).setBatchDigest(c.digest).setView(c.view).build();
  }

  private void recvViewChange(ViewChange vc, int sender) {
    if (!ViewChangeMath.wellFormed(vc, logSize)) {
      log.debug("replica {} ignores a malformed VIEW-CHANGE of replica {}", self, sender);
      return;
    }
    if (!signedBy(vc, sender)) {
      log.warn("replica {} ignores a VIEW-CHANGE for view {} from replica {}: its signature does not verify", self,
          vc.getView(), sender);
      return;
    }
    if (sender != self && vc.getView() < view) {
      // It is still collecting a view we left: our VIEW-CHANGE for it (sent before, so re-sending it
      // is no more than a delay would do) may be the one it lacks.
      ViewChange ours = ownViewChangeHistory.get(vc.getView());
      if (viewOf[sender] <= vc.getView() && vcAnsweredAt[sender] != ticks + 1) {
        vcAnsweredAt[sender] = ticks + 1; // once per tick: two replicas past v must not echo copies of v
        if (ours != null) {
          send(List.of(sender), pbft(msg(b -> b.setViewChange(ours))));
        }
        if (activeView) {
          helpLaggard(sender);
        }
      }
      return;
    }
    if (sender != self && activeView && vc.getView() == view) {
      sendNewViewTo(sender); // it is entering the view we installed
    }
    if (vc.getView() > view + n + 2) {
      seeView(sender, vc.getView());
      jumpToHigherView();
      return; // not stored: f+1 replicas that far ahead move us through the view jump instead
    }
    Map<Integer, ViewChange> at = viewChanges.computeIfAbsent(vc.getView(), v -> new HashMap<>());
    if (at.putIfAbsent(sender, vc) != null) {
      return;
    }
    seeView(sender, vc.getView());
    if (jumpToHigherView()) {
      return;
    }
    int quorum = viewChanges.getOrDefault(view, Map.of()).size();
    if (!activeView && vc.getView() == view && quorum >= cfg.viewChangeQuorum()) {
      if (quorumSeenFor < view) {
        quorumSeenFor = view;
        // The original stops re-sending here; we go on until the view is installed, because a
        // replica whose copy was lost cannot complete its quorum otherwise.
        start(TimerKind.REQUEST, newViewTimeout);
        // Doubles per failed view as the original, but once per view and not without bound (the
        // original doubles on every VIEW-CHANGE after the quorum, and overflows).
        if (newViewTimeout.compareTo(cfg.viewChangeTimeout().multipliedBy(MAX_NEW_VIEW_BACKOFF)) < 0) {
          newViewTimeout = newViewTimeout.multipliedBy(2);
        }
      }
      if (isPrimary()) {
        sendNewView();
      } else {
        processNewView();
      }
    }
  }

  /**
   * f+1 replicas showing views above ours (in VIEW-CHANGEs, as the original's f+1 rule, or in any
   * authenticated protocol message) include a correct one: join the lowest view they all reached.
   */
  private boolean jumpToHigherView() {
    long[] seen = new long[n - 1];
    int i = 0;
    for (int r = 0; r < n; r++) {
      if (r != self) {
        seen[i++] = viewOf[r];
      }
    }
    Arrays.sort(seen);
    long target = seen[seen.length - (f + 1)];
    if (target > view) {
      log.info("replica {} sees f+1 replicas in view {} or later; moving there from view {}", self, target, view);
      view = target - 1;
      sendViewChange();
      return true;
    }
    return false;
  }

  private void seeView(int sender, long v) {
    if (sender != self && v > viewOf[sender]) {
      viewOf[sender] = v;
    }
  }

  private void sendNewView() {
    if (newViews.containsKey(view)) {
      return;
    }
    List<ViewChange> vset = currentViewChanges();
    Optional<ViewChangeMath.InitialCheckpoint> cp = ViewChangeMath.initialCheckpoint(vset, f, cfg.quorum());
    if (cp.isEmpty()) {
      log.info("new primary {} finds no checkpoint to start view {} from yet", self, view);
      return;
    }
    Optional<TreeMap<Long, String>> x = ViewChangeMath.xset(vset, cp.get().seqNo(), logSize, f, cfg.quorum());
    if (x.isEmpty()) {
      log.info("new primary {} cannot assign the sequence numbers of view {} yet", self, view);
      return;
    }
    NewView nv = NewView.newBuilder().setView(view).addAllVset(vset).putAllXset(x.get()).setReplicaId(self).build();
    newViews.put(view, nv);
    changes.put(PbftRecords.NEW_VIEW_SENT, nv.toByteArray());
    log.info("replica {} is the primary of view {}: NEW-VIEW from checkpoint {} with X={}", self, view,
        cp.get().seqNo(), x.get());
    broadcastProtocol(msg(b -> b.setNewView(nv)));
    processNewView();
  }

  private List<ViewChange> currentViewChanges() {
    List<ViewChange> vset = new ArrayList<>(viewChanges.getOrDefault(view, Map.of()).values());
    vset.sort(Comparator.comparingLong(ViewChange::getReplicaId));
    return vset;
  }

  private void recvNewView(NewView nv, int sender) {
    seeView(sender, nv.getView());
    if (!(nv.getView() > 0 && nv.getView() >= view && primary(nv.getView()) == sender
        && !newViews.containsKey(nv.getView()) && nv.getView() <= view + n)) {
      return;
    }
    // Each VIEW-CHANGE must be well formed, for this view, and from a distinct replica. Their
    // authenticity rests on signatures, which exist only with security on (reference §5.16): a copy
    // differing from the one a replica sent us proves nothing (a byzantine replica may send each
    // replica another one), so it is not grounds to refuse a correct primary's NEW-VIEW.
    Set<Long> from = new HashSet<>();
    for (ViewChange vc : nv.getVsetList()) {
      if (vc.getView() != nv.getView() || !ViewChangeMath.wellFormed(vc, logSize) || !from.add(vc.getReplicaId())
          || vc.getReplicaId() < 0 || vc.getReplicaId() >= n || !signedBy(vc, (int) vc.getReplicaId())) {
        log.warn("replica {} rejects the NEW-VIEW of replica {} for view {}: its VIEW-CHANGE of replica {} is not valid",
            self, sender, nv.getView(), vc.getReplicaId());
        return;
      }
    }
    newViews.put(nv.getView(), nv);
    if (jumpToHigherView()) {
      return;
    }
    processNewView();
  }

  private void processNewView() {
    NewView nv = newViews.get(view);
    if (nv == null || activeView) {
      return;
    }
    Optional<ViewChangeMath.InitialCheckpoint> found = ViewChangeMath.initialCheckpoint(nv.getVsetList(), f, cfg.quorum());
    if (found.isEmpty()) {
      log.warn("replica {}: the NEW-VIEW of view {} has no initial checkpoint; changing view again", self, view);
      sendViewChange();
      return;
    }
    ViewChangeMath.InitialCheckpoint cp = found.get();
    long speculativeLastExec = currentExec >= 0 ? currentExec : lastExec;
    if (speculativeLastExec < cp.seqNo()) {
      boolean canExecute = true;
      for (long s = speculativeLastExec + 1; s <= cp.seqNo(); s++) {
        if (decidedAt(s) == null) {
          canExecute = false;
          break;
        }
      }
      if (canExecute) {
        return; // executing is better than transferring; we come back after execution
      }
    }
    Optional<TreeMap<Long, String>> x = ViewChangeMath.xset(nv.getVsetList(), cp.seqNo(), logSize, f, cfg.quorum());
    TreeMap<Long, String> received = new TreeMap<>(nv.getXsetMap());
    if (x.isEmpty() || !(x.get().isEmpty() && received.isEmpty()) && !x.get().equals(received)) {
      log.warn("replica {}: the X-set of the NEW-VIEW of view {} is {} but we compute {}; changing view again",
          self, view, received, x.orElse(null));
      sendViewChange();
      return;
    }
    if (h < cp.seqNo()) {
      moveWatermarks(cp.seqNo());
    }
    if (speculativeLastExec < cp.seqNo()) {
      log.warn("replica {} misses checkpoint {} of the new view (executed {}): transferring state", self,
          cp.seqNo(), speculativeLastExec);
      StateTarget target = new StateTarget(cp.seqNo(), cp.id(), cp.replicas());
      if (highStateTarget == null || highStateTarget.seqNo() < target.seqNo()) {
        highStateTarget = target;
      }
      enterStateTransferMode();
      retryStateTransfer(target);
    }
    // What this NEW-VIEW needs and we lack; what an earlier one needed no longer matters (the
    // original keeps those for ever, and one nobody holds blocks every later view).
    Set<String> needed = new LinkedHashSet<>();
    for (Map.Entry<Long, String> e : received.entrySet()) {
      if (e.getKey() > h && !e.getValue().isEmpty() && !batches.containsKey(e.getValue())) {
        needed.add(e.getValue());
      }
    }
    missingBatches.retainAll(needed);
    boolean newlyMissing = false;
    for (String d : needed) {
      newlyMissing |= missingBatches.add(d);
    }
    if (missingBatches.isEmpty()) {
      installNewView(nv, received);
    } else if (newlyMissing) {
      fetchRequestBatches();
      softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
    }
  }

  /** The original's processNewView2. */
  private void installNewView(NewView nv, TreeMap<Long, String> xset) {
    stop(TimerKind.REQUEST);
    stop(TimerKind.RESEND_VIEW_CHANGE);
    stop(TimerKind.NULL_REQUEST);
    activeView = true;
    newViews.headMap(view).clear();
    changes.put(PbftRecords.NEW_VIEW, nv.toByteArray());
    // Numbering restarts after h; numbers already assigned in this view (restored ones) are never reused.
    seqNo = h;
    for (Certificate c : certsOfView(view)) {
      if (c.prePrepare != null) {
        seqNo = Math.max(seqNo, c.seqNo);
      }
    }
    for (Map.Entry<Long, String> e : xset.entrySet()) {
      long s = e.getKey();
      if (s <= h) {
        continue;
      }
      String d = e.getValue();
      PrePrepare.Builder pp = PrePrepare.newBuilder().setView(view).setSequenceNumber(s).setBatchDigest(d)
          .setReplicaId(primary(view));
      if (!d.isEmpty()) {
        pp.setRequestBatch(batches.get(d));
      }
      Certificate c = cert(view, s);
      c.prePrepare = pp.build();
      c.digest = d;
      seqNo = Math.max(seqNo, s);
      qsetDirty = true;
    }
    updateViewChangeSeqNo();
    if (!isPrimary()) {
      for (Map.Entry<Long, String> e : xset.entrySet()) {
        Prepare p = Prepare.newBuilder().setView(view).setSequenceNumber(e.getKey()).setBatchDigest(e.getValue())
            .setReplicaId(self).build();
        if (e.getKey() > h) {
          cert(view, e.getKey()).sentPrepare = true;
          recvPrepare(p, self);
        }
        broadcastProtocol(msg(b -> b.setPrepare(p)));
      }
    }
    // Prepares for X entries may have arrived before the pre-prepares were set here (seed 22818: the
    // primary installed only after fetching a missing batch, its backups had prepared long before,
    // and it never committed that number).
    for (Map.Entry<Long, String> e : xset.entrySet()) {
      if (e.getKey() > h) {
        maybeSendCommit(e.getValue(), view, e.getKey());
      }
    }
    log.info("replica {} installed view {} (primary {}), h={}, seqNo={}", self, view, primary(view), h, seqNo);
    viewChanged();
    armProgressTimers();
  }

  /** The batch layer's viewChangedEvent: nothing of the old primary's batching survives but the requests. */
  private void viewChanged() {
    filling = new ArrayList<>();
    stop(TimerKind.BATCH);
    outstandingBatches.clear();
    requests.clearPending();
    for (Map.Entry<Long, Map<Long, Certificate>> e : certs.tailMap(Math.max(h, lastExec), false).entrySet()) {
      Certificate c = e.getValue().get(view);
      if (c != null && c.prePrepare != null && !c.digest.isEmpty()) {
        RequestBatch b = batches.get(c.digest);
        if (b != null) {
          if (!c.committed) {
            outstandingBatches.put(c.digest, b);
          }
          for (Request r : b.getBatchList()) {
            requests.markPending(RequestKey.of(r));
          }
        }
      }
    }
    complained = false;
    resubmitOutstandingRequests();
  }

  private void updateViewChangeSeqNo() {
    if (cfg.viewChangePeriod() <= 0) {
      return;
    }
    viewChangeSeqNo = seqNo + (long) cfg.viewChangePeriod() * k - seqNo % k;
  }

  private void recvFetchRequestBatch(FetchRequestBatch fr, int sender) {
    RequestBatch b = batches.get(fr.getBatchDigest());
    if (b != null) {
      send(List.of(sender), pbft(msg(m -> m.setReturnRequestBatch(b))));
    }
  }

  private void recvReturnRequestBatch(RequestBatch batch) {
    String digest = Digests.batchDigest(batch);
    if (wantedBatches.remove(digest) != null && !missingBatches.contains(digest)) {
      storeBatch(digest, batch);
      learnBatchRequests(batch);
      executeOutstanding();
      return;
    }
    if (!missingBatches.contains(digest)) {
      return;
    }
    storeBatch(digest, batch);
    outstandingBatches.put(digest, batch);
    learnBatchRequests(batch);
    missingBatches.remove(digest);
    if (activeView) {
      startProgressTimer();
    }
    if (!activeView && missingBatches.isEmpty()) {
      processNewView();
    }
  }

  private void fetchRequestBatches() {
    Set<String> all = new LinkedHashSet<>(missingBatches);
    all.addAll(wantedBatches.keySet());
    for (String d : all) {
      FetchRequestBatch fr = FetchRequestBatch.newBuilder().setBatchDigest(d).setReplicaId(self).build();
      broadcastProtocol(msg(m -> m.setFetchRequestBatch(fr)));
    }
  }

  // =====================================================================================
  // State transfer

  private void enterStateTransferMode() {
    if (!skipInProgress) {
      skipInProgress = true;
      out.add(new PbftAction.StateValidity(false));
    }
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
  }

  private void retryStateTransfer(StateTarget given) {
    if (currentExec >= 0 || stateTransferring) {
      return;
    }
    StateTarget target = given != null ? given : highStateTarget;
    if (target == null || target.seqNo() <= lastExec) {
      return;
    }
    Optional<BlockchainInfo> info = Digests.chainInfo(target.id());
    if (info.isEmpty()) {
      log.warn("replica {}: checkpoint {} has an id that is not a BlockchainInfo; cannot transfer to it", self, target.seqNo());
      return;
    }
    stateTransferring = true;
    log.info("replica {} transfers state to sequence number {} (height {}) from replicas {}", self, target.seqNo(),
        info.get().getHeight(), target.replicas());
    out.add(new PbftAction.TransferState(target.seqNo(), info.get(), target.replicas()));
  }

  private void onStateUpdated(long s, BlockchainInfo reached, Set<RequestKey> executedThere) {
    stateTransferring = false;
    for (RequestKey key : executedThere) {
      requests.remove(key);
      executed.add(key);
    }
    if (reached == null || s < h) {
      log.warn("replica {}: state transfer to {} {}", self, s, reached == null ? "failed" : "ended below h=" + h);
      if (highStateTarget != null && s < highStateTarget.seqNo()) {
        retryStateTransfer(null);
      }
      softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
      return;
    }
    log.info("replica {} caught up by state transfer: lastExec {} -> {}", self, lastExec, s);
    lastExec = Math.max(lastExec, s);
    chainInfo = reached;
    moveWatermarks(lastExec);
    if (skipInProgress) {
      skipInProgress = false;
      out.add(new PbftAction.StateValidity(true));
    }
    checkpoint(s, reached);
    behindAtLastTick = false;
    executeOutstanding();
    processNewView();
    resubmitOutstandingRequests();
  }

  // =====================================================================================
  // Timers and catch-up

  private void onTimer(TimerKind kind, long generation) {
    if (!running(kind) || timerGeneration[kind.ordinal()] != generation) {
      return; // stopped or restarted since
    }
    timerRunning[kind.ordinal()] = false;
    switch (kind) {
      case BATCH -> {
        if (activeView && !filling.isEmpty() && canPropose()) {
          sendBatch();
        }
      }
      case REQUEST -> onRequestTimeout();
      case RESEND_VIEW_CHANGE -> {
        if (!activeView && ownViewChange != null && ownViewChange.getView() == view) {
          broadcastProtocol(msg(b -> b.setViewChange(ownViewChange)));
          start(TimerKind.RESEND_VIEW_CHANGE, cfg.resendViewChangeTimeout());
        }
      }
      case NULL_REQUEST -> {
        if (activeView) {
          if (isPrimary()) {
            sendPrePrepare(null, Digests.NULL_REQUEST);
          } else {
            log.info("replica {}: no null request from primary {}; changing view", self, primary(view));
            sendViewChange();
          }
        }
      }
      case RETRANSMIT -> onRetransmitTick();
    }
  }

  private void onRequestTimeout() {
    if (!activeView) {
      log.info("replica {}: no NEW-VIEW for view {} in time; trying view {}", self, view, view + 1);
      sendViewChange();
      return;
    }
    boolean onlyUnbatched = outstandingBatches.isEmpty() && !hasUncommittedInView() && requests.hasUnbatched();
    if (onlyUnbatched && !complained && !isPrimary()) {
      complained = true;
      List<Request> unbatched = requests.peekUnbatched(2 * cfg.batchSize());
      for (Request r : unbatched) {
        send(List.of(primary(view)), BatchMessage.newBuilder().setRequest(r).build());
      }
      log.info("replica {}: {} requests in no batch; sent them to primary {} before suspecting it", self,
          unbatched.size(), primary(view));
      start(TimerKind.REQUEST, cfg.requestTimeout());
      return;
    }
    log.info("replica {}: no progress in view {} for {}; changing view", self, view, progressTimerDuration);
    sendViewChange();
  }

  private boolean hasUncommittedInView() {
    for (Certificate c : certsOfView(view)) {
      if (c.prePrepare != null && !c.committed && c.seqNo > lastExec) {
        return true;
      }
    }
    return false;
  }

  private void onRetransmitTick() {
    ticks++;
    executeOutstanding(); // a decision may have completed while we could not execute
    boolean again = false;
    for (int j = 0; j < n; j++) {
      if (j == self) {
        continue;
      }
      if (checkpointOf[j] < hAtLastTick) {
        // It has not shown a checkpoint we had a tick ago: it may be behind our window.
        again = true;
        helpLaggard(j);
        sendCheckpointsTo(j);
      }
      if (progressOf[j] < lastExecAtLastTick) {
        again = true;
        helpLaggard(j);
        long from = Math.max(progressOf[j], h);
        retransmitLog(j, from, Math.min(from + RETRANSMIT_SEQS, lastExecAtLastTick));
      }
    }
    again |= nudge();
    again |= !activeView;
    again |= resendOwnRequests();
    wantedBatches.keySet().removeIf(batches::containsKey);
    if (!missingBatches.isEmpty() || !wantedBatches.isEmpty()) {
      again = true;
      fetchRequestBatches();
    }
    if (skipInProgress) {
      again = true;
      if (!stateTransferring) {
        retryStateTransfer(null);
      }
    }
    boolean behind = !skipInProgress && currentExec < 0 && !stateTransferring && highStateTarget != null
        && highStateTarget.seqNo() > lastExec && decidedAt(lastExec + 1) == null;
    if (behind && behindAtLastTick) {
      log.warn("replica {} is behind: f+1 replicas have checkpoint {} and we cannot execute past {}; transferring state",
          self, highStateTarget.seqNo(), lastExec);
      enterStateTransferMode();
      stop(TimerKind.REQUEST);
      retryStateTransfer(null);
    }
    behindAtLastTick = behind;
    again |= behind;
    again |= lastExec > lastExecAtLastTick; // the others may not have caught up with what we executed since
    lastExecAtLastTick = lastExec;
    hAtLastTick = h;
    // The tick always runs: it is cheap, and it paces the answers to others' nudges.
    start(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
  }

  /**
   * Our own requests still unexecuted a whole tick after we last looked are sent again to everyone
   * (the PBFT paper's client retransmission): their first broadcast may have been lost, and they may
   * be known nowhere else. Returns whether any of ours is outstanding.
   */
  private boolean resendOwnRequests() {
    Set<RequestKey> now = new HashSet<>();
    int resent = 0;
    for (Request r : requests.all()) {
      if (r.getReplicaId() != self) {
        continue;
      }
      RequestKey key = RequestKey.of(r);
      now.add(key);
      if (ownOutstandingAtLastTick.contains(key) && resent < 2 * cfg.batchSize()) {
        resent++;
        send(others(), BatchMessage.newBuilder().setRequest(r).build());
      }
    }
    ownOutstandingAtLastTick = now;
    return !now.isEmpty();
  }

  /**
   * We made no progress for a tick although the next sequence number is under way: re-send our own
   * messages for it. A replica that already executed it takes the duplicate as a sign that we miss
   * its messages and answers with them ({@link #answerNudge}); an original replica ignores duplicates.
   */
  private boolean nudge() {
    if (lastExec != lastExecAtLastTick || currentExec >= 0 || stateTransferring || skipInProgress) {
      return false;
    }
    long s = lastExec + 1;
    Certificate c = activeView ? existingCert(view, s) : null;
    if (c != null && (c.sentPrepare || c.sentCommit || (isPrimary() && c.prePrepare != null))) {
      sendOwn(others(), c, isPrimary());
      return true;
    }
    boolean behind = !activeView || certs.higherKey(lastExec) != null || requests.size() > 0
        || (highStateTarget != null && highStateTarget.seqNo() > lastExec);
    if (!behind || ownCheckpoints.isEmpty()) {
      return false;
    }
    // Nothing of ours to re-send for the next number (we missed it, or we are changing views and
    // hold no certificate of the view the others may be in): our latest checkpoint tells them where
    // we are, and they answer with what follows it (answerStatus).
    Map.Entry<Long, String> last = ownCheckpoints.floorEntry(lastExec);
    if (last == null) {
      return false;
    }
    Checkpoint cp = Checkpoint.newBuilder().setSequenceNumber(last.getKey()).setReplicaId(self).setId(last.getValue()).build();
    send(others(), pbft(msg(b -> b.setCheckpoint(cp))));
    return true;
  }

  /** A checkpoint {@code j} already sent, or one below our window: it may be stuck at {@code s}. */
  private void answerStatus(int j, long s) {
    if (j == self || answeredAt[j] == ticks + 1 || s >= lastExec) {
      return;
    }
    answeredAt[j] = ticks + 1;
    helpLaggard(j);
    if (s < h) {
      sendCheckpointsTo(j);
    }
    long from = Math.max(s, h);
    retransmitLog(j, from, Math.min(from + RETRANSMIT_SEQS, lastExec));
  }

  /** A duplicate PREPARE or COMMIT from {@code j} for a number we are past: send it ours (once per tick). */
  private void answerNudge(int j, long v, long s) {
    if (j == self || answeredAt[j] == ticks + 1 || s > lastExec) {
      return;
    }
    answeredAt[j] = ticks + 1;
    Certificate c = existingCert(v, s);
    if (c != null && c.prePrepare != null) {
      sendOwn(List.of(j), c, primary(v) == self);
    }
  }

  /** Our own pre-prepare (when primary), prepare and commit of a certificate, to {@code to}. */
  private void sendOwn(List<Integer> to, Certificate c, boolean asPrimary) {
    if (asPrimary && c.prePrepare != null) {
      PrePrepare pp = c.prePrepare;
      send(to, pbft(msg(b -> b.setPrePrepare(pp))));
    } else if (c.sentPrepare) {
      Prepare p = Prepare.newBuilder().setView(c.view).setSequenceNumber(c.seqNo).setBatchDigest(c.digest).setReplicaId(self).build();
      send(to, pbft(msg(b -> b.setPrepare(p))));
    }
    if (c.sentCommit) {
      Commit cm = Commit.newBuilder().setView(c.view).setSequenceNumber(c.seqNo).setBatchDigest(c.digest).setReplicaId(self).build();
      send(to, pbft(msg(b -> b.setCommit(cm))));
    }
  }

  private void onConnected(int replica) {
    if (replica == self || replica < 0 || replica >= n) {
      return;
    }
    helpLaggard(replica);
    sendCheckpointsTo(replica);
    softStart(TimerKind.RETRANSMIT, cfg.retransmitPeriod());
  }

  /** What a replica in an older view needs to move to ours: our VIEW-CHANGE for it and, from the primary, its NEW-VIEW. */
  private void helpLaggard(int j) {
    if (view == 0) {
      return;
    }
    if (ownViewChange != null && ownViewChange.getView() == view) {
      send(List.of(j), pbft(msg(b -> b.setViewChange(ownViewChange))));
    }
    sendNewViewTo(j);
  }

  private void sendNewViewTo(int j) {
    NewView nv = newViews.get(view);
    if (activeView && isPrimary() && nv != null) {
      send(List.of(j), pbft(msg(b -> b.setNewView(nv))));
    }
  }

  private void sendCheckpointsTo(int j) {
    for (Map.Entry<Long, String> c : ownCheckpoints.tailMap(h, true).entrySet()) {
      Checkpoint cp = Checkpoint.newBuilder().setSequenceNumber(c.getKey()).setReplicaId(self).setId(c.getValue()).build();
      send(List.of(j), pbft(msg(b -> b.setCheckpoint(cp))));
    }
  }

  /** Our own messages for sequence numbers (from, to] of the current view, re-sent to one replica. */
  private void retransmitLog(int j, long from, long to) {
    for (long s = from + 1; s <= to; s++) {
      Certificate c = existingCert(view, s);
      if (c != null && c.prePrepare != null) {
        sendOwn(List.of(j), c, isPrimary());
      }
    }
  }

  // =====================================================================================
  // Message dispatch

  private void onMessage(int sender, PbftMessage m) {
    if (sender < 0 || sender >= n || sender == self) {
      return;
    }
    switch (m.getPayloadCase()) {
      case PRE_PREPARE -> {
        PrePrepare pp = m.getPrePrepare();
        if (fromSender(pp.getReplicaId(), sender)) {
          seeView(sender, pp.getView());
          recvPrePrepare(pp, sender);
        }
      }
      case PREPARE -> {
        Prepare p = m.getPrepare();
        if (fromSender(p.getReplicaId(), sender)) {
          seeView(sender, p.getView());
          recvPrepare(p, sender);
        }
      }
      case COMMIT -> {
        Commit c = m.getCommit();
        if (fromSender(c.getReplicaId(), sender)) {
          seeView(sender, c.getView());
          recvCommit(c, sender);
        }
      }
      case CHECKPOINT -> {
        if (fromSender(m.getCheckpoint().getReplicaId(), sender)) {
          recvCheckpoint(m.getCheckpoint(), sender);
        }
      }
      case VIEW_CHANGE -> {
        if (fromSender(m.getViewChange().getReplicaId(), sender)) {
          recvViewChange(m.getViewChange(), sender);
        }
      }
      case NEW_VIEW -> {
        if (fromSender(m.getNewView().getReplicaId(), sender)) {
          recvNewView(m.getNewView(), sender);
        }
      }
      case FETCH_REQUEST_BATCH -> {
        if (fromSender(m.getFetchRequestBatch().getReplicaId(), sender)) {
          recvFetchRequestBatch(m.getFetchRequestBatch(), sender);
        }
      }
      case RETURN_REQUEST_BATCH -> recvReturnRequestBatch(m.getReturnRequestBatch());
      default -> log.debug("replica {} ignores a {} message from replica {}", self, m.getPayloadCase(), sender);
    }
    if (m.getPayloadCase() == PbftMessage.PayloadCase.PREPARE || m.getPayloadCase() == PbftMessage.PayloadCase.COMMIT
        || m.getPayloadCase() == PbftMessage.PayloadCase.PRE_PREPARE) {
      jumpToHigherView();
    }
  }

  /** Whether the VIEW-CHANGE carries {@code replica}'s signature (always, with security off). */
  private boolean signedBy(ViewChange vc, int replica) {
    return signatures.verify(replica, vc.toBuilder().clearSignature().build().toByteArray(), vc.getSignature().toByteArray());
  }

  private boolean fromSender(long replicaId, int sender) {
    if (replicaId != sender) {
      log.debug("replica {} drops a message claiming replica {} that came from replica {}", self, replicaId, sender);
      return false;
    }
    return true;
  }

  // =====================================================================================
  // Helpers

  private int primary(long v) {
    return (int) Long.remainderUnsigned(v, n);
  }

  private boolean inWindow(long s) {
    return s > h && s <= h + logSize;
  }

  private boolean inWindowView(long v, long s) {
    return v == view && inWindow(s);
  }

  private Certificate cert(long v, long s) {
    return certs.computeIfAbsent(s, x -> new HashMap<>(2)).computeIfAbsent(v, x -> new Certificate(v, s));
  }

  private Certificate existingCert(long v, long s) {
    Map<Long, Certificate> byView = certs.get(s);
    return byView == null ? null : byView.get(v);
  }

  private List<Certificate> certsOfView(long v) {
    List<Certificate> list = new ArrayList<>();
    for (Map<Long, Certificate> byView : certs.tailMap(h, false).values()) {
      Certificate c = byView.get(v);
      if (c != null) {
        list.add(c);
      }
    }
    return list;
  }

  private void storeBatch(String digest, RequestBatch batch) {
    storeBatch(digest, batch, null);
  }

  private void storeBatch(String digest, RequestBatch batch, byte[] serialized) {
    if (batches.putIfAbsent(digest, batch) == null) {
      changes.put(PbftRecords.BATCH_PREFIX + digest, serialized != null ? serialized : batch.toByteArray());
    }
  }

  private List<Integer> others() {
    List<Integer> to = new ArrayList<>(n - 1);
    for (int r = 0; r < n; r++) {
      if (r != self) {
        to.add(r);
      }
    }
    return to;
  }

  /** A protocol broadcast; with {@code general.byzantine} one random replica is left out a third of the time. */
  private void broadcastProtocol(PbftMessage m) {
    List<Integer> to = others();
    if (cfg.byzantine() && random.nextInt(3) == 0 && to.size() > 1) {
      to.remove(random.nextInt(to.size()));
    }
    send(to, pbft(m));
  }

  private void broadcast(PbftMessage m) {
    send(others(), pbft(m));
  }

  private void send(List<Integer> to, BatchMessage m) {
    if (!to.isEmpty()) {
      out.add(new PbftAction.Send(List.copyOf(to), m));
    }
  }

  private static BatchMessage pbft(PbftMessage m) {
    return BatchMessage.newBuilder().setPbftMessage(m.toByteString()).build();
  }

  private static PbftMessage msg(java.util.function.Consumer<PbftMessage.Builder> fill) {
    PbftMessage.Builder b = PbftMessage.newBuilder();
    fill.accept(b);
    return b.build();
  }

  private boolean running(TimerKind kind) {
    return timerRunning[kind.ordinal()];
  }

  private void softStart(TimerKind kind, Duration after) {
    if (!running(kind)) {
      start(kind, after);
    }
  }

  private void start(TimerKind kind, Duration after) {
    long gen = ++timerGeneration[kind.ordinal()];
    timerRunning[kind.ordinal()] = true;
    out.add(new PbftAction.StartTimer(kind, after, gen));
  }

  private void stop(TimerKind kind) {
    if (running(kind)) {
      timerRunning[kind.ordinal()] = false;
      timerGeneration[kind.ordinal()]++;
      out.add(new PbftAction.StopTimer(kind));
    }
  }

  private List<PbftAction> finish() {
    if (qsetDirty) {
      recomputeForPersist(false);
    }
    if (psetDirty) {
      recomputeForPersist(true);
    }
    qsetDirty = false;
    psetDirty = false;
    if (!changes.isEmpty()) {
      Map<String, byte[]> puts = new LinkedHashMap<>();
      Set<String> deletes = new LinkedHashSet<>();
      for (Map.Entry<String, byte[]> e : changes.entrySet()) {
        if (e.getValue() == DELETE) {
          deletes.add(e.getKey());
        } else {
          puts.put(e.getKey(), e.getValue());
        }
      }
      changes.clear();
      out.add(0, new PbftAction.Persist(puts, deletes));
    }
    List<PbftAction> result = out;
    out = new ArrayList<>();
    return result;
  }

  /** What the original persists: the P- or Q-set as a view change would compute it now, within the window. */
  private void recomputeForPersist(boolean prepared) {
    TreeMap<PqKey, ViewChange.PQ> set = new TreeMap<>(Comparator.comparingLong(PqKey::seqNo).thenComparing(PqKey::digest));
    if (prepared) {
      for (ViewChange.PQ p : pset.values()) {
        set.put(new PqKey(p.getSequenceNumber(), ""), p);
      }
    } else {
      for (Map.Entry<PqKey, ViewChange.PQ> e : qset.entrySet()) {
        set.put(e.getKey(), e.getValue());
      }
    }
    for (Map<Long, Certificate> byView : certs.values()) {
      for (Certificate c : byView.values()) {
        if (c.prePrepare == null) {
          continue;
        }
        boolean holds = prepared ? prepared(c.digest, c.view, c.seqNo) : prePrepared(c.digest, c.view, c.seqNo);
        if (!holds) {
          continue;
        }
        PqKey key = new PqKey(c.seqNo, prepared ? "" : c.digest);
        ViewChange.PQ old = set.get(key);
        if (old == null || old.getView() <= c.view) {
          set.put(key, pq(c));
        }
      }
    }
    set.values().removeIf(p -> p.getSequenceNumber() <= h || p.getSequenceNumber() > h + logSize);
    changes.put(prepared ? PbftRecords.PSET : PbftRecords.QSET, PbftRecords.encode(set.values()));
  }
}
