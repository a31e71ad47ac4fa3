package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.PrePrepare;
import org.jpeer.protos.pbft.Prepare;
import org.jpeer.protos.pbft.Request;
import org.jpeer.protos.pbft.RequestBatch;
import org.junit.jupiter.api.Test;

/**
 * The core driven step by step on a perfect network (messages delivered in order, executions at
 * once), to pin down the normal case exactly: who sends what, what is persisted before it is sent,
 * and that a replica restarted from its records never contradicts what it sent.
 */
class PbftCoreTest {

  static final PbftConfig CFG = PbftConfig.DEFAULTS.withBatchSize(2);

  /** N replicas, a FIFO of messages, executions answered at once, records kept per replica. */
  static final class Cluster {
    final PbftCore[] cores;
    final List<Map<String, byte[]>> stores = new ArrayList<>();
    final List<List<PbftAction.Execute>> executed = new ArrayList<>();
    final List<List<PbftAction>> log = new ArrayList<>();
    final List<List<List<PbftAction>>> steps = new ArrayList<>();
    final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    final int[] height;

    Cluster(PbftConfig cfg) {
      this(cfg, ViewChangeSignatures.UNSIGNED);
    }

    Cluster(PbftConfig cfg, ViewChangeSignatures signatures) {
      cores = new PbftCore[cfg.n()];
      height = new int[cfg.n()];
      for (int i = 0; i < cfg.n(); i++) {
        stores.add(new TreeMap<>());
        executed.add(new ArrayList<>());
        log.add(new ArrayList<>());
        steps.add(new ArrayList<>());
        height[i] = 1;
        cores[i] = PbftCore.create(cfg, i, Map.of(), 0, info(1), i, signatures);
      }
      for (int i = 0; i < cfg.n(); i++) {
        step(i, new PbftEvent.Start());
      }
    }

    void step(int i, PbftEvent e) {
      List<PbftAction> actions = cores[i].step(e);
      log.get(i).addAll(actions);
      steps.get(i).add(actions);
      for (PbftAction a : actions) {
        if (a instanceof PbftAction.Persist p) {
          stores.get(i).putAll(p.puts());
          p.deletes().forEach(stores.get(i)::remove);
        } else if (a instanceof PbftAction.Send s) {
          for (int to : s.to()) {
            wire.add(new Object[] {i, to, s.message()});
          }
        } else if (a instanceof PbftAction.Execute x) {
          executed.get(i).add(x);
          height[i]++;
          step(i, new PbftEvent.Executed(x.seqNo(), info(height[i])));
        }
      }
    }

    /** Delivers every queued message (and what they cause) except those {@code drop} rejects. */
    void deliverAll(java.util.function.Predicate<Object[]> drop) throws InvalidProtocolBufferException {
      while (!wire.isEmpty()) {
        Object[] m = wire.poll();
        if (drop.test(m)) {
          continue;
        }
        BatchMessage bm = (BatchMessage) m[2];
        int from = (int) m[0];
        int to = (int) m[1];
        if (bm.hasRequest()) {
          step(to, new PbftEvent.RequestFrom(from, bm.getRequest()));
        } else {
          step(to, new PbftEvent.MessageFrom(from, PbftMessage.parseFrom(bm.getPbftMessage())));
        }
      }
    }

    void deliverAll() throws InvalidProtocolBufferException {
      deliverAll(m -> false);
    }
  }

  static BlockchainInfo info(long height) {
    return BlockchainInfo.newBuilder().setHeight(height).setCurrentBlockHash(ByteString.copyFromUtf8("h" + height)).build();
  }

  static Request request(int replica, int i) {
    return Request.newBuilder().setReplicaId(replica)
        .setTimestamp(Timestamp.newBuilder().setSeconds(1000).setNanos(i))
        .setPayload(Transaction.newBuilder().setTxid("tx" + replica + "-" + i).build().toByteString()).build();
  }

  static List<PbftMessage> sent(List<PbftAction> actions, PbftMessage.PayloadCase kind) {
    List<PbftMessage> out = new ArrayList<>();
    for (PbftAction a : actions) {
      if (a instanceof PbftAction.Send s && s.message().getPayloadCase() == BatchMessage.PayloadCase.PBFT_MESSAGE) {
        try {
          PbftMessage m = PbftMessage.parseFrom(s.message().getPbftMessage());
          if (m.getPayloadCase() == kind) {
            out.add(m);
          }
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }

  @Test
  void aLoneRequestIsBatchedAtOnceAndExecutedEverywhereWithItsSequenceNumber() throws Exception {
    Cluster c = new Cluster(CFG);
    c.step(2, new PbftEvent.LocalRequest(request(2, 1)));
    c.deliverAll();
    for (int i = 0; i < 4; i++) {
      assertThat(c.executed.get(i)).hasSize(1);
      PbftAction.Execute x = c.executed.get(i).get(0);
      assertThat(x.seqNo()).isEqualTo(1);
      assertThat(x.requests()).containsExactly(request(2, 1));
      assertThat(Digests.seqNo(x.metadata())).isEqualTo(1);
      assertThat(c.cores[i].lastExecuted()).isEqualTo(1);
    }
    // The primary (vp0) pre-prepares without waiting for the batch timer: nothing else was in flight.
    List<PbftMessage> pp = sent(c.log.get(0), PbftMessage.PayloadCase.PRE_PREPARE);
    assertThat(pp).hasSize(1);
    PrePrepare p = pp.get(0).getPrePrepare();
    assertThat(p.getView()).isZero();
    assertThat(p.getSequenceNumber()).isEqualTo(1);
    assertThat(p.getReplicaId()).isZero();
    assertThat(p.getBatchDigest()).isEqualTo(Digests.batchDigest(RequestBatch.newBuilder().addBatch(request(2, 1)).build()));
    // The primary sends no PREPARE; each backup sends one; everyone one COMMIT.
    assertThat(sent(c.log.get(0), PbftMessage.PayloadCase.PREPARE)).isEmpty();
    for (int i = 1; i < 4; i++) {
      assertThat(sent(c.log.get(i), PbftMessage.PayloadCase.PREPARE)).hasSize(1);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(sent(c.log.get(i), PbftMessage.PayloadCase.COMMIT)).hasSize(1);
    }
  }

  @Test
  void underLoadTheBatchFillsWhileTwoAreInFlight() throws Exception {
    PbftConfig cfg = PbftConfig.DEFAULTS.withBatchSize(3);
    Cluster c = new Cluster(cfg);
    for (int i = 1; i <= 9; i++) {
      c.step(0, new PbftEvent.LocalRequest(request(0, i))); // nothing delivered yet: all in flight
    }
    List<PbftMessage> pp = sent(c.log.get(0), PbftMessage.PayloadCase.PRE_PREPARE);
    // Two single-request batches cut at once, then only full batches; the ninth request waits for
    // the batch timer (or for a batch to finish).
    assertThat(pp).extracting(m -> m.getPrePrepare().getRequestBatch().getBatchCount()).containsExactly(1, 1, 3, 3);
    assertThat(c.log.get(0)).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(PbftAction.StartTimer.class,
        t -> assertThat(t.kind()).isEqualTo(TimerKind.BATCH)));
    c.deliverAll();
    for (int i = 0; i < 4; i++) {
      assertThat(c.executed.get(i)).flatExtracting(PbftAction.Execute::requests).hasSize(9);
    }
  }

  @Test
  void everyPrepareAndPrePrepareIsPersistedInTheSameStepBeforeItIsSent() throws Exception {
    Cluster c = new Cluster(CFG);
    for (int i = 1; i <= 5; i++) {
      c.step(1 + i % 3, new PbftEvent.LocalRequest(request(1 + i % 3, i)));
    }
    c.deliverAll();
    int checked = 0;
    for (int i = 0; i < 4; i++) {
      for (List<PbftAction> step : c.steps.get(i)) {
        boolean sendsVote = !sent(step, PbftMessage.PayloadCase.PREPARE).isEmpty()
            || !sent(step, PbftMessage.PayloadCase.PRE_PREPARE).isEmpty();
        if (sendsVote) {
          checked++;
          assertThat(step.get(0)).isInstanceOfSatisfying(PbftAction.Persist.class,
              p -> assertThat(p.puts()).containsKey("qset"));
        }
        boolean sendsCommit = !sent(step, PbftMessage.PayloadCase.COMMIT).isEmpty();
        if (sendsCommit) {
          assertThat(step.get(0)).isInstanceOfSatisfying(PbftAction.Persist.class,
              p -> assertThat(p.puts()).containsKey("pset"));
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aRestartedBackupDoesNotPrepareAConflictingBatch() throws Exception {
    Cluster c = new Cluster(CFG);
    // vp0 pre-prepares batch A at 1; vp1 receives it and prepares; nothing else is delivered.
    c.step(0, new PbftEvent.LocalRequest(request(0, 1)));
    c.deliverAll(m -> !((int) m[0] == 0 && (int) m[1] == 1)); // only vp0 -> vp1 arrives
    List<PbftMessage> prepared = sent(c.log.get(1), PbftMessage.PayloadCase.PREPARE);
    assertThat(prepared).hasSize(1);
    String digestA = prepared.get(0).getPrepare().getBatchDigest();

    // vp1 crashes and restarts from its records.
    Map<String, byte[]> records = new HashMap<>(c.stores.get(1));
    PbftCore restarted = PbftCore.create(CFG, 1, records, 0, info(1), 99);
    List<PbftAction> start = restarted.step(new PbftEvent.Start());
    assertThat(restarted.view()).isZero();
    assertThat(restarted.activeView()).isTrue();

    // A byzantine vp0 now sends a different batch B for the same view and sequence number.
    RequestBatch b = RequestBatch.newBuilder().addBatch(request(0, 2)).build();
    PbftMessage conflicting = PbftMessage.newBuilder().setPrePrepare(PrePrepare.newBuilder().setView(0)
        .setSequenceNumber(1).setBatchDigest(Digests.batchDigest(b)).setRequestBatch(b).setReplicaId(0)).build();
    List<PbftAction> after = new ArrayList<>(start);
    after.addAll(restarted.step(new PbftEvent.MessageFrom(0, conflicting)));
    assertThat(sent(after, PbftMessage.PayloadCase.PREPARE)).noneSatisfy(
        m -> assertThat(m.getPrepare().getBatchDigest()).isNotEqualTo(digestA));
    // It suspects the primary instead.
    assertThat(sent(after, PbftMessage.PayloadCase.VIEW_CHANGE)).hasSize(1);
    assertThat(restarted.view()).isEqualTo(1);
  }

  @Test
  void aRestartedPrimaryContinuesItsNumberingAndRebroadcastsNothingItDidNotSend() throws Exception {
    Cluster c = new Cluster(CFG);
    c.step(0, new PbftEvent.LocalRequest(request(0, 1)));
    c.step(0, new PbftEvent.LocalRequest(request(0, 2))); // both pre-prepared (1 and 2), none delivered
    assertThat(sent(c.log.get(0), PbftMessage.PayloadCase.PRE_PREPARE)).hasSize(2);
    PbftCore restarted = PbftCore.create(CFG, 0, new HashMap<>(c.stores.get(0)), 0, info(1), 7);
    restarted.step(new PbftEvent.Start());
    List<PbftAction> next = restarted.step(new PbftEvent.LocalRequest(request(0, 3)));
    List<PbftMessage> pp = sent(next, PbftMessage.PayloadCase.PRE_PREPARE);
    // Sequence numbers 1 and 2 are taken: the new request can only get 3 (or wait), never reuse them.
    assertThat(pp).allSatisfy(m -> assertThat(m.getPrePrepare().getSequenceNumber()).isGreaterThan(2));
  }

  @Test
  void aViewChangeAfterAPrimaryCrashReproposesThePreparedBatch() throws Exception {
    PbftConfig cfg = CFG;
    Cluster c = new Cluster(cfg);
    c.step(1, new PbftEvent.LocalRequest(request(1, 1)));
    // Deliver everything except COMMITs: the batch prepares everywhere but commits nowhere.
    c.deliverAll(PbftCoreTest::isCommit);
    assertThat(c.executed.get(1)).isEmpty();
    // vp0 is gone; the backups' progress timers expire.
    for (int i = 1; i < 4; i++) {
      expire(c, i, TimerKind.REQUEST);
    }
    c.deliverAll(m -> (int) m[1] == 0 || (int) m[0] == 0);
    for (int i = 1; i < 4; i++) {
      assertThat(c.cores[i].view()).isEqualTo(1);
      assertThat(c.cores[i].activeView()).isTrue();
      assertThat(c.executed.get(i)).hasSize(1);
      assertThat(c.executed.get(i).get(0).requests()).containsExactly(request(1, 1));
    }
  }

  @Test
  void aViewChangeWhoseSignatureDoesNotVerifyIsNotCounted() throws Exception {
    // checked signatures: vp3's forged VIEW-CHANGE leaves 2 of the 3 needed, so no new view
    assertThat(viewChangeWithVp3sSignatureForged(COPY_CHECKED)).isFalse();
    // the same run unchecked (security off, as the original) installs the view: the check is what stops it
    assertThat(viewChangeWithVp3sSignatureForged(ViewChangeSignatures.UNSIGNED)).isTrue();
  }

  /** A copy signature that must also match, so that an altered VIEW-CHANGE is caught. */
  private static final ViewChangeSignatures COPY_CHECKED = new ViewChangeSignatures() {
    @Override
    public byte[] sign(byte[] unsigned) {
      return unsigned.clone();
    }

    @Override
    public boolean verify(int replica, byte[] unsigned, byte[] signature) {
      return java.util.Arrays.equals(unsigned, signature);
    }
  };

  /** For {@code deliverAll}'s drop predicate: the wire entry carries a COMMIT. */
  private static boolean isCommit(Object[] m) {
    try {
      BatchMessage bm = (BatchMessage) m[2];
      return bm.getPayloadCase() == BatchMessage.PayloadCase.PBFT_MESSAGE
          && PbftMessage.parseFrom(bm.getPbftMessage()).hasCommit();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** vp0 is gone, vp1..vp3 change view, vp3's VIEW-CHANGE arrives with another signature; whether view 1 is installed. */
  private static boolean viewChangeWithVp3sSignatureForged(ViewChangeSignatures signatures) throws Exception {
    Cluster c = new Cluster(CFG, signatures);
    c.step(1, new PbftEvent.LocalRequest(request(1, 1)));
    // the batch prepares but commits nowhere, so the backups' request timers lead to a view change
    c.deliverAll(PbftCoreTest::isCommit);
    for (int i = 1; i < 4; i++) {
      expire(c, i, TimerKind.REQUEST);
    }
    while (!c.wire.isEmpty()) {
      Object[] m = c.wire.poll();
      int from = (int) m[0];
      int to = (int) m[1];
      if (from == 0 || to == 0) {
        continue;
      }
      BatchMessage bm = (BatchMessage) m[2];
      if (bm.hasRequest()) {
        c.step(to, new PbftEvent.RequestFrom(from, bm.getRequest()));
        continue;
      }
      PbftMessage pm = PbftMessage.parseFrom(bm.getPbftMessage());
      if (from == 3 && pm.hasViewChange()) {
        pm = pm.toBuilder().setViewChange(pm.getViewChange().toBuilder()
            .setSignature(ByteString.copyFromUtf8("forged"))).build();
      }
      c.step(to, new PbftEvent.MessageFrom(from, pm));
    }
    return c.cores[1].view() == 1 && c.cores[1].activeView();
  }

  /** Fires the latest generation of a timer a replica started. */
  static void expire(Cluster c, int replica, TimerKind kind) {
    long gen = -1;
    for (PbftAction a : c.log.get(replica)) {
      if (a instanceof PbftAction.StartTimer t && t.kind() == kind) {
        gen = t.generation();
      }
    }
    assertThat(gen).as("replica %d started a %s timer", replica, kind).isPositive();
    c.step(replica, new PbftEvent.TimerExpired(kind, gen));
  }

  @Test
  void configAdjustsTimeoutsAsTheOriginal() {
    PbftConfig c = new PbftConfig(4, 1, 10, 4, 500, false, 0, Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1), 10);
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.nullRequestTimeout()).isEqualTo(Duration.ofMillis(4500));
    assertThat(c.quorum()).isEqualTo(3);
    assertThat(c.viewChangeQuorum()).isEqualTo(3);
    assertThat(PbftConfig.DEFAULTS.withN(7, 2).quorum()).isEqualTo(5);
    assertThat(c.logSize()).isEqualTo(40);
  }
}
