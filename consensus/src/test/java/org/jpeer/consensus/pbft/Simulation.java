package org.jpeer.consensus.pbft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.Checkpoint;
import org.jpeer.protos.pbft.Commit;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.PrePrepare;
import org.jpeer.protos.pbft.Prepare;
import org.jpeer.protos.pbft.Request;
import org.jpeer.protos.pbft.RequestBatch;
import org.jpeer.protos.pbft.ViewChange;

/**
 * N real {@link PbftCore}s on a simulated network, disk and clock, all driven by one seed: the same
 * seed gives the same run, event for event. Messages travel as bytes (serialized and parsed as on the
 * wire) with random delays, drops, duplicates and so reordering; partitions, pauses (SIGSTOP) and
 * crashes with restart from the durable records happen during a fault period; up to f replicas are
 * byzantine. Every run checks safety throughout and liveness after the fault period.
 *
 * <p>The executor and ledger are a model of the peer's: a block per executed batch, whose hash
 * chains the previous hash, the sequence number and the txids; a transaction whose txid is already
 * in the chain is skipped (the peer's rule), and a state transfer copies a correct replica's chain.
 */
final class Simulation {

  /** How a faulty replica misbehaves. */
  enum Byzantine { SILENT, EQUIVOCATE, WRONG_DIGESTS, BOGUS_VIEW_CHANGES, REPLAY, BOGUS_CHECKPOINTS, SWITCH, LYING_VIEW_CHANGES }

  /** What one run found. */
  record Result(long seed, int n, String scenario, List<String> safety, List<String> liveness, long steps,
      long messages, long executedBatches, long viewChanges, long stateTransfers, long duplicatesSkipped,
      long simulatedMillis, boolean waived) {
    boolean failed() {
      return !safety.isEmpty() || !liveness.isEmpty();
    }
  }

  /** The quorums replicas use: the original's, or a deliberately broken rule to show the simulation catches it (README). */
  enum Mutation {
    NONE,
    /** A batch counts as prepared with f+1 votes (the pre-prepare and f PREPAREs) instead of 2f+1. */
    PREPARE_QUORUM_F_PLUS_1,
    /** A batch commits with f+1 COMMITs instead of 2f+1. */
    COMMIT_QUORUM_F_PLUS_1,
    /** A replica executes a batch once it alone is prepared: its own COMMIT is quorum enough. */
    EXECUTE_WHEN_PREPARED
  }

  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;

  private final long seed;
  private final Random rnd;
  private final int n;
  private final PbftConfig cfg;
  private final Mutation mutation;
  private final Replica[] replicas;
  private final PriorityQueue<Ev> queue = new PriorityQueue<>();
  private long now;
  private long order;
  private final StringBuilder scenario = new StringBuilder();

  // faults in force
  private double dropRate;
  private double duplicateRate;
  private final Set<Integer> isolated = new HashSet<>();
  private long faultsEnd;

  // checks
  private final List<String> safety = new ArrayList<>();
  private final Map<Long, String> batchAt = new HashMap<>();
  private final Map<String, Integer> acceptedBy = new LinkedHashMap<>();
  private long steps;
  private long messages;
  private long executedBatches;
  private long duplicatesSkipped;
  private long stateTransfers;
  private boolean waived;

  private record Ev(long time, long order, int replica, long incarnation, Consumer<Replica> action) implements Comparable<Ev> {
    @Override
    public int compareTo(Ev o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(order, o.order);
    }
  }

  /** A block of the model ledger. */
  private record Block(long seqNo, List<String> txids, byte[] hash) {}

  private final class Replica {
    final int id;
    final Byzantine byzantine;
    PbftCore core;
    long incarnation;
    boolean up = true;
    long pausedUntil = -1;
    final Map<String, byte[]> store = new TreeMap<>();
    final List<Block> chain = new ArrayList<>();
    final Set<String> txids = new HashSet<>();
    long lastTimestamp;
    final List<BatchMessage> sent = new ArrayList<>();

    Replica(int id, Byzantine byzantine) {
      this.id = id;
      this.byzantine = byzantine;
    }

    boolean correct() {
      return byzantine == null;
    }

    BlockchainInfo info() {
      if (chain.isEmpty()) {
        return BlockchainInfo.newBuilder().setHeight(1).setCurrentBlockHash(ByteString.copyFrom(genesis())).build();
      }
      Block last = chain.get(chain.size() - 1);
      byte[] prev = chain.size() == 1 ? genesis() : chain.get(chain.size() - 2).hash();
      return BlockchainInfo.newBuilder().setHeight(chain.size() + 1L).setCurrentBlockHash(ByteString.copyFrom(last.hash()))
          .setPreviousBlockHash(ByteString.copyFrom(prev)).build();
    }

    long lastSeqNo() {
      return chain.isEmpty() ? 0 : chain.get(chain.size() - 1).seqNo();
    }
  }

  /** No faults, no byzantine replica, no periodic view change, no null requests; requests in bursts. */
  static Simulation faultFree(long seed, int n) {
    return new Simulation(seed, n, Mutation.NONE, true);
  }

  private final boolean faultFree;

  Simulation(long seed, int n, Mutation mutation) {
    this(seed, n, mutation, false);
  }

  private Simulation(long seed, int n, Mutation mutation, boolean faultFree) {
    this.faultFree = faultFree;
    this.seed = seed;
    this.rnd = new Random(seed);
    this.n = n;
    int f = (n - 1) / 3;
    int[] ks = {2, 3, 5, 10};
    int[] batchSizes = {1, 2, 5, 20, 100};
    PbftConfig c = PbftConfig.DEFAULTS.withN(n, f)
        .withCheckpoints(ks[rnd.nextInt(ks.length)], 2 + rnd.nextInt(3))
        .withBatchSize(batchSizes[rnd.nextInt(batchSizes.length)])
        .withCapacity(1000);
    if (rnd.nextInt(10) == 0 && !faultFree) {
      c = c.withNullRequestTimeout(Duration.ofSeconds(3));
    }
    if (rnd.nextInt(10) == 0 && !faultFree) {
      c = c.withViewChangePeriod(1 + rnd.nextInt(2));
    }
    cfg = c;
    this.mutation = mutation;
    scenario.append("K=").append(cfg.k()).append(" L=").append(cfg.logSize()).append(" batch=").append(cfg.batchSize());
    if (!cfg.nullRequestTimeout().isZero()) {
      scenario.append(" nullreq");
    }
    if (cfg.viewChangePeriod() > 0) {
      scenario.append(" vcperiod=").append(cfg.viewChangePeriod());
    }
    replicas = new Replica[n];
    int faulty = faultFree ? 0 : rnd.nextInt(f + 1);
    Set<Integer> byz = new LinkedHashSet<>();
    while (byz.size() < faulty) {
      byz.add(rnd.nextInt(n));
    }
    for (int i = 0; i < n; i++) {
      Byzantine kind = byz.contains(i) ? Byzantine.values()[rnd.nextInt(Byzantine.values().length)] : null;
      replicas[i] = new Replica(i, kind);
      if (kind != null) {
        scenario.append(" vp").append(i).append('=').append(kind);
      }
    }
  }

  Result run() {
    faultsEnd = (5 + rnd.nextInt(16)) * SECOND;
    for (Replica r : replicas) {
      startReplica(r);
    }
    if (faultFree) {
      scheduleBursts();
    } else {
      scheduleFaults();
      scheduleClients();
    }
    long deadline = faultsEnd + 120 * SECOND;
    long lastCheck = 0;
    long budget = 3_000_000;
    while (!queue.isEmpty()) {
      if (--budget == 0 || queue.size() > 200_000) {
        safety.add("event storm: " + (3_000_000 - budget) + " events, " + queue.size() + " queued by simulated time "
            + now / MS + " ms");
        break;
      }
      Ev ev = queue.poll();
      if (ev.time() > deadline) {
        break;
      }
      now = ev.time();
      Replica r = ev.replica() < 0 ? null : replicas[ev.replica()];
      if (r != null) {
        if (!r.up || r.incarnation != ev.incarnation()) {
          continue;
        }
        if (r.pausedUntil > now) {
          queue.add(new Ev(r.pausedUntil, order++, ev.replica(), ev.incarnation(), ev.action()));
          continue;
        }
      }
      ev.action().accept(r);
      if (now > faultsEnd && now - lastCheck > SECOND) {
        lastCheck = now;
        if (allCommitted()) {
          break;
        }
      }
    }
    checkChains();
    List<String> liveness = livenessFailures();
    long views = 0;
    for (Replica r : replicas) {
      if (r.correct() && r.core != null) {
        views = Math.max(views, r.core.view());
      }
    }
    return new Result(seed, n, scenario.toString(), List.copyOf(safety), liveness, steps, messages, executedBatches,
        views, stateTransfers, duplicatesSkipped, now / MS, waived);
  }

  // ---------------------------------------------------------------- replicas

  private void startReplica(Replica r) {
    long lastExec = r.lastSeqNo();
    Map<String, byte[]> records = new TreeMap<>(r.store);
    PbftConfig own = r.byzantine == Byzantine.SWITCH ? cfg.withByzantine(true) : cfg;
    long coreSeed = seed * 31 + r.id + 7 * r.incarnation;
    PbftRecords.Restored restored = PbftRecords.restore(records, lastExec, r.info());
    int f = cfg.f();
    r.core = switch (mutation) {
      case NONE -> new PbftCore(own, r.id, restored, coreSeed);
      case PREPARE_QUORUM_F_PLUS_1 -> new PbftCore(own, r.id, restored, coreSeed, f, own.quorum());
      case COMMIT_QUORUM_F_PLUS_1 -> new PbftCore(own, r.id, restored, coreSeed, own.quorum() - 1, f + 1);
      case EXECUTE_WHEN_PREPARED -> new PbftCore(own, r.id, restored, coreSeed, own.quorum() - 1, 1);
    };
    step(r, new PbftEvent.Start());
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      if (e.getKey().startsWith(PbftRecords.REQUEST_PREFIX)) {
        Request req = parseRequest(e.getValue());
        if (!r.txids.contains(txid(req))) {
          step(r, new PbftEvent.LocalRequest(req));
        }
      }
    }
  }

  private void crash(Replica r) {
    r.up = false;
    r.incarnation++;
  }

  private void restart(Replica r) {
    r.up = true;
    r.incarnation++;
    r.pausedUntil = -1;
    startReplica(r);
    for (Replica o : replicas) {
      if (o != r && o.up) {
        at(now + MS, o, x -> step(x, new PbftEvent.Connected(r.id)));
        at(now + MS, r, x -> step(x, new PbftEvent.Connected(o.id)));
      }
    }
  }

  private static final boolean TRACE = Boolean.getBoolean("pbft.trace");

  private void step(Replica r, PbftEvent e) {
    steps++;
    List<PbftAction> actions = r.core.step(e);
    if (TRACE) {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%9.3f vp%d v%d%s h%d x%d %s <- %s", now / 1e6, r.id, r.core.view(),
          r.core.activeView() ? "" : "*", r.core.lowWatermark(), r.core.lastExecuted(), r.core.traceState(), Trace.event(e)));
      for (PbftAction a : actions) {
        sb.append("\n            -> ").append(Trace.action(a));
      }
      System.out.println(sb);
    }
    for (PbftAction a : actions) {
      perform(r, a);
    }
  }

  private void perform(Replica r, PbftAction a) {
    if (a instanceof PbftAction.Persist p) {
      r.store.putAll(p.puts());
      for (String d : p.deletes()) {
        if (!p.puts().containsKey(d)) {
          r.store.remove(d);
        }
      }
    } else if (a instanceof PbftAction.Send s) {
      for (int to : s.to()) {
        send(r, to, s.message());
      }
    } else if (a instanceof PbftAction.StartTimer t) {
      at(now + t.after().toNanos(), r, x -> step(x, new PbftEvent.TimerExpired(t.kind(), t.generation())));
    } else if (a instanceof PbftAction.Execute x) {
      long delay = MS / 2 + rnd.nextInt(3) * MS + (long) x.requests().size() * 20_000;
      at(now + delay, r, y -> executed(y, x));
    } else if (a instanceof PbftAction.TransferState t) {
      stateTransfers++;
      at(now + (5 + rnd.nextInt(50)) * MS, r, y -> transfer(y, t));
    }
    // StopTimer: the core ignores stale expiries; StateValidity: nothing to model
  }

  private void executed(Replica r, PbftAction.Execute x) {
    List<String> ids = new ArrayList<>();
    List<String> localDone = new ArrayList<>();
    for (Request req : x.requests()) {
      String id = txid(req);
      if (r.txids.contains(id) || ids.contains(id)) {
        duplicatesSkipped++;
        continue;
      }
      ids.add(id);
      if (req.getReplicaId() == r.id) {
        localDone.add(PbftRecords.REQUEST_PREFIX + RequestKey.of(req).storeSuffix());
      }
    }
    byte[] prev = r.chain.isEmpty() ? genesis() : r.chain.get(r.chain.size() - 1).hash();
    Block b = new Block(x.seqNo(), ids, blockHash(prev, x.seqNo(), ids));
    r.chain.add(b);
    r.txids.addAll(ids);
    localDone.forEach(r.store::remove);
    executedBatches++;
    if (r.correct()) {
      String digest = digestOf(x.requests());
      String before = batchAt.putIfAbsent(x.seqNo(), digest);
      if (before != null && !before.equals(digest)) {
        safety.add("seqNo " + x.seqNo() + ": replica " + r.id + " executed batch " + digest.substring(0, 8)
            + " where another correct replica executed " + before.substring(0, 8));
      }
    }
    step(r, new PbftEvent.Executed(x.seqNo(), r.info()));
  }

  /** A state transfer: copy the chain up to the target from a correct replica that has it, else fail. */
  private void transfer(Replica r, PbftAction.TransferState t) {
    long height = t.target().getHeight();
    Replica source = null;
    List<Integer> order = new ArrayList<>(t.replicas());
    for (Replica o : replicas) {
      if (!order.contains(o.id)) {
        order.add(o.id);
      }
    }
    for (int id : order) {
      Replica o = replicas[id];
      if (o != r && o.up && o.correct() && o.chain.size() + 1 >= height && height >= 2
          && o.chain.get((int) height - 2).hash().length > 0
          && java.util.Arrays.equals(o.chain.get((int) height - 2).hash(), t.target().getCurrentBlockHash().toByteArray())) {
        source = o;
        break;
      }
      if (o != r && o.up && o.correct() && height == 1) {
        // the target is the genesis state, which every replica shares whatever it executed since
        // (seed 46948: the source was required to have executed nothing, so no transfer ever ended)
        source = o;
        break;
      }
    }
    if (source == null || height - 1 < r.chain.size()) {
      step(r, new PbftEvent.StateUpdated(t.seqNo(), null, Set.of()));
      return;
    }
    for (int i = 0; i < r.chain.size(); i++) {
      if (!java.util.Arrays.equals(r.chain.get(i).hash(), source.chain.get(i).hash())) {
        safety.add("replica " + r.id + " block " + (i + 1) + " differs from correct replica " + source.id
            + "'s before a state transfer");
        break;
      }
    }
    for (int i = r.chain.size(); i < height - 1; i++) {
      Block b = source.chain.get(i);
      r.chain.add(b);
      r.txids.addAll(b.txids());
    }
    Set<RequestKey> done = new HashSet<>();
    for (Request req : r.core.outstandingRequests()) {
      if (r.txids.contains(txid(req))) {
        done.add(RequestKey.of(req));
      }
    }
    r.store.keySet().removeIf(key -> key.startsWith(PbftRecords.REQUEST_PREFIX)
        && r.txids.contains(txid(parseRequest(r.store.get(key)))));
    step(r, new PbftEvent.StateUpdated(t.seqNo(), r.info(), done));
  }

  // ---------------------------------------------------------------- network

  private void send(Replica from, int to, BatchMessage message) {
    if (from.byzantine != null) {
      message = misbehave(from, to, message);
      if (message == null) {
        return;
      }
    }
    messages++;
    if (now < faultsEnd && (isolated.contains(from.id) != isolated.contains(to))) {
      return;
    }
    if (now < faultsEnd && rnd.nextDouble() < dropRate) {
      return;
    }
    byte[] bytes = message.toByteArray();
    deliverLater(from.id, to, bytes);
    if (now < faultsEnd && rnd.nextDouble() < duplicateRate) {
      deliverLater(from.id, to, bytes);
    }
  }

  private void deliverLater(int from, int to, byte[] bytes) {
    long delay = 200_000 + rnd.nextInt(3_000_000);
    if (rnd.nextInt(50) == 0) {
      delay += rnd.nextInt(300) * MS;
    }
    at(now + delay, replicas[to], r -> deliver(r, from, bytes));
  }

  private void deliver(Replica r, int from, byte[] bytes) {
    BatchMessage m;
    try {
      m = BatchMessage.parseFrom(bytes);
      if (m.hasRequest()) {
        if (r.txids.contains(txid(m.getRequest()))) {
          return; // as PbftConsenter: a request whose transaction is in the chain is dropped
        }
        step(r, new PbftEvent.RequestFrom(from, m.getRequest()));
      } else if (m.getPayloadCase() == BatchMessage.PayloadCase.PBFT_MESSAGE) {
        step(r, new PbftEvent.MessageFrom(from, PbftMessage.parseFrom(m.getPbftMessage())));
      }
    } catch (InvalidProtocolBufferException e) {
      safety.add("replica " + from + " sent bytes that do not parse: " + e.getMessage());
    }
  }

  /** The outgoing side of a byzantine replica. Null drops the message. */
  private BatchMessage misbehave(Replica r, int to, BatchMessage message) {
    if (message.getPayloadCase() != BatchMessage.PayloadCase.PBFT_MESSAGE) {
      return r.byzantine == Byzantine.SILENT ? null : message;
    }
    PbftMessage m;
    try {
      m = PbftMessage.parseFrom(message.getPbftMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    switch (r.byzantine) {
      case SILENT:
        return null;
      case EQUIVOCATE:
        if (m.hasPrePrepare() && to % 2 == 1 && m.getPrePrepare().getRequestBatch().getBatchCount() > 0) {
          RequestBatch b = m.getPrePrepare().getRequestBatch();
          RequestBatch other = RequestBatch.newBuilder().addAllBatch(b.getBatchList().subList(0, b.getBatchCount() - 1))
              .addBatch(fakeRequest(r)).build();
          m = PbftMessage.newBuilder().setPrePrepare(m.getPrePrepare().toBuilder().setRequestBatch(other)
              .setBatchDigest(Digests.batchDigest(other))).build();
        }
        break;
      case WRONG_DIGESTS:
        if (rnd.nextBoolean()) {
          if (m.hasPrepare()) {
            m = PbftMessage.newBuilder().setPrepare(m.getPrepare().toBuilder().setBatchDigest("bogus" + rnd.nextInt(3))).build();
          } else if (m.hasCommit()) {
            m = PbftMessage.newBuilder().setCommit(m.getCommit().toBuilder().setBatchDigest("bogus" + rnd.nextInt(3))).build();
          } else if (m.hasPrePrepare()) {
            m = PbftMessage.newBuilder().setPrePrepare(m.getPrePrepare().toBuilder().setBatchDigest("bogus")).build();
          }
        }
        break;
      case BOGUS_VIEW_CHANGES:
        if (rnd.nextInt(4) == 0) {
          ViewChange vc = ViewChange.newBuilder().setView(r.core.view() + 1 + rnd.nextInt(3)).setH(r.core.lowWatermark())
              .addPset(ViewChange.PQ.newBuilder().setSequenceNumber(r.core.lowWatermark() + 1).setBatchDigest("bogus"))
              .addQset(ViewChange.PQ.newBuilder().setSequenceNumber(r.core.lowWatermark() + 1).setBatchDigest("bogus"))
              .addCset(ViewChange.C.newBuilder().setSequenceNumber(r.core.lowWatermark()).setId("bogus"))
              .setReplicaId(r.id).build();
          deliverLater(r.id, to, BatchMessage.newBuilder()
              .setPbftMessage(PbftMessage.newBuilder().setViewChange(vc).build().toByteString()).build().toByteArray());
        }
        break;
      case REPLAY:
        r.sent.add(message);
        if (r.sent.size() > 200) {
          r.sent.remove(0);
        }
        if (rnd.nextInt(3) == 0) {
          deliverLater(r.id, to, r.sent.get(rnd.nextInt(r.sent.size())).toByteArray());
        }
        return message;
      case BOGUS_CHECKPOINTS:
        if (m.hasCheckpoint()) {
          Checkpoint c = m.getCheckpoint();
          m = PbftMessage.newBuilder().setCheckpoint(c.toBuilder().setId(rnd.nextBoolean() ? "bogus" : c.getId())
              .setSequenceNumber(rnd.nextBoolean() ? c.getSequenceNumber() : c.getSequenceNumber() + 1000L * cfg.k())).build();
        }
        break;
      case SWITCH:
        return message;
      case LYING_VIEW_CHANGES:
        // Claims to have prepared and pre-prepared nothing: a new view built on its word may drop
        // what it took part in committing.
        if (m.hasViewChange()) {
          ViewChange vc = m.getViewChange().toBuilder().clearPset().clearQset().clearSignature().build();
          m = PbftMessage.newBuilder().setViewChange(vc.toBuilder().setSignature(vc.toByteString())).build();
        }
        break;
    }
    return BatchMessage.newBuilder().setPbftMessage(m.toByteString()).build();
  }

  private Request fakeRequest(Replica r) {
    Transaction tx = Transaction.newBuilder().setTxid("fake-" + r.id + "-" + rnd.nextInt(1_000_000)).build();
    return Request.newBuilder().setReplicaId(r.id).setTimestamp(Timestamp.newBuilder().setSeconds(now / SECOND)
        .setNanos((int) (now % SECOND))).setPayload(tx.toByteString()).build();
  }

  // ---------------------------------------------------------------- faults and clients

  private void scheduleFaults() {
    double[] drops = {0, 0, 0.01, 0.05, 0.2};
    double[] dups = {0, 0.02, 0.1};
    dropRate = drops[rnd.nextInt(drops.length)];
    duplicateRate = dups[rnd.nextInt(dups.length)];
    scenario.append(" drop=").append(dropRate).append(" dup=").append(duplicateRate);
    int faults = rnd.nextInt(5);
    for (int i = 0; i < faults; i++) {
      long start = (long) (rnd.nextDouble() * (faultsEnd - 3 * SECOND));
      long length = SECOND / 2 + (long) (rnd.nextDouble() * Math.min(5 * SECOND, faultsEnd - start - SECOND / 2));
      int victim = rnd.nextInt(n);
      Replica r = replicas[victim];
      switch (rnd.nextInt(3)) {
        case 0 -> {
          scenario.append(" crash(vp").append(victim).append('@').append(start / MS).append('+').append(length / MS).append(')');
          at(start, null, x -> {
            if (r.up) {
              crash(r);
              at(now + length, null, y -> {
                if (!r.up) {
                  restart(r);
                }
              });
            }
          });
        }
        case 1 -> {
          scenario.append(" pause(vp").append(victim).append('@').append(start / MS).append('+').append(length / MS).append(')');
          at(start, null, x -> r.pausedUntil = Math.max(r.pausedUntil, now + length));
        }
        default -> {
          scenario.append(" partition(vp").append(victim).append('@').append(start / MS).append('+').append(length / MS).append(')');
          at(start, null, x -> isolated.add(victim));
          at(start + length, null, x -> {
            isolated.remove(victim);
            for (Replica o : replicas) {
              if (o.id != victim && o.up && replicas[victim].up) {
                at(now, o, y -> step(y, new PbftEvent.Connected(victim)));
                at(now, replicas[victim], y -> step(y, new PbftEvent.Connected(o.id)));
              }
            }
          });
        }
      }
    }
    at(faultsEnd, null, x -> {
      isolated.clear();
      for (Replica r : replicas) {
        if (!r.up) {
          restart(r);
        }
      }
    });
  }

  private void scheduleClients() {
    int count = 20 + rnd.nextInt(60);
    long span = faultsEnd + 2 * SECOND;
    for (int i = 0; i < count; i++) {
      String id = "tx" + i;
      long time = (long) (rnd.nextDouble() * span);
      at(time, null, x -> submit(id, rnd.nextInt(n), 0));
    }
  }

  /** Bursts of 50 to 400 requests at once, each to a random replica: enough to fill the window. */
  private void scheduleBursts() {
    scenario.append(" fault-free bursts");
    int bursts = 1 + rnd.nextInt(4);
    int id = 0;
    for (int b = 0; b < bursts; b++) {
      long time = b * 3 * SECOND + rnd.nextInt(1000) * MS;
      int size = 50 + rnd.nextInt(350);
      for (int i = 0; i < size; i++) {
        String txid = "tx" + id++;
        at(time, null, x -> submit(txid, rnd.nextInt(n), 0));
      }
    }
  }

  /** A client sends to a replica; a refused client (replica down or paused) retries at once at the next. */
  private void submit(String txid, int first, int attempt) {
    for (int i = 0; i < n; i++) {
      Replica r = replicas[(first + i) % n];
      if (r.up && r.pausedUntil <= now) {
        long ts = Math.max(now, r.lastTimestamp + 1);
        r.lastTimestamp = ts;
        Transaction tx = Transaction.newBuilder().setTxid(txid).build();
        Request req = Request.newBuilder().setReplicaId(r.id)
            .setTimestamp(Timestamp.newBuilder().setSeconds(ts / SECOND).setNanos((int) (ts % SECOND)))
            .setPayload(tx.toByteString()).build();
        r.store.put(PbftRecords.REQUEST_PREFIX + RequestKey.of(req).storeSuffix(), req.toByteArray());
        if (r.correct()) {
          acceptedBy.put(txid, r.id);
        }
        step(r, new PbftEvent.LocalRequest(req));
        return;
      }
    }
    if (attempt < 100) {
      at(now + 100 * MS, null, x -> submit(txid, first, attempt + 1));
    }
  }

  // ---------------------------------------------------------------- checks

  private boolean allCommitted() {
    for (Replica r : replicas) {
      if (r.correct() && (!r.up || !r.txids.containsAll(acceptedBy.keySet()))) {
        return false;
      }
    }
    return true;
  }

  private void checkChains() {
    Replica reference = null;
    for (Replica r : replicas) {
      if (!r.correct()) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (Block b : r.chain) {
        for (String id : b.txids()) {
          if (!seen.add(id)) {
            safety.add("replica " + r.id + " executed " + id + " twice");
          }
        }
      }
      if (reference == null || r.chain.size() > reference.chain.size()) {
        reference = r;
      }
    }
    for (Replica r : replicas) {
      if (!r.correct() || r == reference) {
        continue;
      }
      for (int i = 0; i < r.chain.size(); i++) {
        Block a = r.chain.get(i);
        Block b = reference.chain.get(i);
        if (!java.util.Arrays.equals(a.hash(), b.hash())) {
          safety.add("block " + (i + 1) + ": replica " + r.id + " has seqNo " + a.seqNo() + " " + a.txids()
              + ", replica " + reference.id + " has seqNo " + b.seqNo() + " " + b.txids());
          break;
        }
      }
    }
  }

  /**
   * Every request accepted by a correct replica must be executed by every correct replica. One
   * exception, inherent to PBFT: with f byzantine replicas, a correct replica left alone in a view no
   * quorum entered can learn decisions from only 2f correct replicas, one short of a commit quorum, and
   * must not go back to the lower view; it catches up at the next checkpoint or view change. Such a
   * run is counted as {@link Result#waived}, not hidden.
   */
  private List<String> livenessFailures() {
    List<String> failures = new ArrayList<>();
    int byzantine = 0;
    long quorumView = -1;
    for (Replica r : replicas) {
      if (!r.correct()) {
        byzantine++;
      } else if (r.core.activeView()) {
        quorumView = Math.max(quorumView, r.core.view());
      }
    }
    boolean mayWaive = byzantine == (n - 1) / 3;
    for (Replica r : replicas) {
      if (!r.correct()) {
        continue;
      }
      if (mayWaive && (!r.core.activeView() || r.core.view() != quorumView) && !r.txids.containsAll(acceptedBy.keySet())) {
        mayWaive = false;
        waived = true;
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (String id : acceptedBy.keySet()) {
        if (!r.txids.contains(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        failures.add("replica " + r.id + " (view " + r.core.view() + (r.core.activeView() ? "" : " changing")
            + ", lastExec " + r.core.lastExecuted() + ", h " + r.core.lowWatermark() + ") misses " + missing.size()
            + " of " + acceptedBy.size() + " accepted requests 120 s after the faults ended, e.g. "
            + missing.subList(0, Math.min(3, missing.size())));
      }
    }
    return failures;
  }

  // ---------------------------------------------------------------- helpers

  private void at(long time, Replica r, Consumer<Replica> action) {
    queue.add(new Ev(time, order++, r == null ? -1 : r.id, r == null ? 0 : r.incarnation, action));
  }

  private static String txid(Request r) {
    try {
      return Transaction.parseFrom(r.getPayload()).getTxid();
    } catch (InvalidProtocolBufferException e) {
      return "undecodable";
    }
  }

  private static Request parseRequest(byte[] bytes) {
    try {
      return Request.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String digestOf(List<Request> requests) {
    return Digests.batchDigest(RequestBatch.newBuilder().addAllBatch(requests).build());
  }

  private static byte[] genesis() {
    return sha256("genesis".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] blockHash(byte[] prev, long seqNo, List<String> ids) {
    StringBuilder sb = new StringBuilder();
    for (String id : ids) {
      sb.append(id).append(',');
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    return sha256(ByteBuffer.allocate(prev.length + 8 + body.length).put(prev).putLong(seqNo).put(body).array());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
