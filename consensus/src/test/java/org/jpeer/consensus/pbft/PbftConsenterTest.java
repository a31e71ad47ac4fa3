package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.consensus.ChainView;
import org.jpeer.consensus.MemoryStore;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.StateTransfer;
import org.jpeer.consensus.SystemTimer;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Message;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four {@link PbftConsenter}s with real threads and timers. The network, store and ledger are
 * in-memory stand-ins: the real ones live in the peer module (which this module may not depend on)
 * and are exercised by the peer's multi-process tests.
 */
class PbftConsenterTest {

  static final PbftConfig CFG = new PbftConfig(4, 1, 2, 2, 10, false, 0, Duration.ofMillis(50),
      Duration.ofMillis(800), Duration.ofMillis(800), Duration.ofMillis(400), Duration.ZERO, 1000);

  private final List<Replica> replicas = new ArrayList<>();
  private final ExecutorService delivery = Executors.newFixedThreadPool(4);
  /** Pairs (from, to) whose messages are dropped. */
  private final Set<String> cut = ConcurrentHashMap.newKeySet();

  /** The ledger model: blocks of txids chained by SHA-256; a txid already in the chain is skipped. */
  static final class Chain implements BatchExecutor, ChainView {
    final List<List<String>> blocks = new ArrayList<>();
    final List<byte[]> metadata = new ArrayList<>();
    final Set<String> txids = ConcurrentHashMap.newKeySet();
    byte[] head = sha("genesis".getBytes(StandardCharsets.UTF_8));
    byte[] previous = new byte[0];

    @Override
    public synchronized BatchOutcome executeAndCommit(List<Transaction> transactions, byte[] consensusMetadata) {
      List<String> ids = new ArrayList<>();
      for (Transaction t : transactions) {
        if (txids.add(t.getTxid())) {
          ids.add(t.getTxid());
        }
      }
      blocks.add(ids);
      metadata.add(consensusMetadata);
      previous = head;
      head = sha((new String(head, StandardCharsets.ISO_8859_1) + ids).getBytes(StandardCharsets.ISO_8859_1));
      return new BatchOutcome(blocks.size(), ids.size(), List.of(), blockchainInfo());
    }

    @Override
    public synchronized BlockchainInfo blockchainInfo() {
      return BlockchainInfo.newBuilder().setHeight(blocks.size() + 1L).setCurrentBlockHash(ByteString.copyFrom(head))
          .setPreviousBlockHash(ByteString.copyFrom(previous)).build();
    }

    @Override
    public synchronized byte[] headMetadata() {
      return metadata.isEmpty() ? new byte[0] : metadata.get(metadata.size() - 1);
    }

    @Override
    public boolean hasTransaction(String txid) {
      return txids.contains(txid);
    }

    synchronized List<String> all() {
      List<String> out = new ArrayList<>();
      blocks.forEach(out::addAll);
      return out;
    }

    synchronized void copyFrom(Chain other, long height) {
      synchronized (other) {
        while (blocks.size() + 1 < height) {
          int i = blocks.size();
          blocks.add(other.blocks.get(i));
          metadata.add(other.metadata.get(i));
          txids.addAll(other.blocks.get(i));
        }
        head = other.head;
        previous = other.previous;
      }
    }
  }

  final class Replica {
    final int id;
    final Chain chain = new Chain();
    final MemoryStore store = new MemoryStore();
    volatile PbftConsenter consenter;
    volatile CountDownLatch transferGate = new CountDownLatch(0);
    volatile Duration admissionWait = Duration.ZERO;

    Replica(int id) {
      this.id = id;
    }

    void start() {
      Network net = new Network() {
        @Override
        public void broadcast(Message msg) {
          throw new AssertionError("PBFT unicasts to each replica");
        }

        @Override
        public void unicast(Message msg, String to) {
          int dest = Integer.parseInt(to.substring(2));
          Replica r = replicas.get(dest);
          if (cut.contains(id + ">" + dest) || r.consenter == null) {
            throw new IllegalArgumentException("no peer " + to + " is connected");
          }
          PbftConsenter target = r.consenter;
          delivery.execute(() -> target.recvMsg(msg, "vp" + id));
        }
      };
      StateTransfer transfer = (target, peers, done) -> new Thread(() -> {
        try {
          transferGate.await();
        } catch (InterruptedException e) {
          return;
        }
        for (Replica o : replicas) {
          if (o != this && o.chain.blocks.size() + 1 >= target.getHeight()) {
            chain.copyFrom(o.chain, target.getHeight());
            done.accept(Optional.of(chain.blockchainInfo()));
            return;
          }
        }
        done.accept(Optional.empty());
      }).start();
      consenter = new PbftConsenter(CFG, id, chain, net, transfer, chain, store, new SystemTimer("pbft-timer-" + id),
          Clock.systemUTC(), admissionWait);
      consenter.start();
    }

    void stop() {
      PbftConsenter c = consenter;
      consenter = null;
      c.close();
    }
  }

  void startAll() {
    startAll(r -> {});
  }

  void startAll(Consumer<Replica> configure) {
    for (int i = 0; i < 4; i++) {
      replicas.add(new Replica(i));
    }
    replicas.forEach(configure);
    replicas.forEach(Replica::start);
  }

  void isolate(int r, boolean isolated) {
    for (int o = 0; o < 4; o++) {
      if (o != r) {
        Consumer<String> op = isolated ? cut::add : cut::remove;
        op.accept(r + ">" + o);
        op.accept(o + ">" + r);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Replica r : replicas) {
      if (r.consenter != null) {
        r.transferGate.countDown();
        r.stop();
      }
    }
    delivery.shutdownNow();
    assertThat(delivery.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  static Transaction tx(String id) {
    return Transaction.newBuilder().setTxid(id).setType(Transaction.Type.CHAINCODE_INVOKE).build();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(10); // polling a condition with a deadline
    }
  }

  @Test
  void fourReplicasCommitTheSameBlocksFromConcurrentClients() throws Exception {
    startAll();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      clients.add(new Thread(() -> {
        for (int i = 0; i < 25; i++) {
          assertThat(replicas.get((client + i) % 4).consenter.submit(tx("c" + client + "-" + i))).isTrue();
        }
      }));
    }
    clients.forEach(Thread::start);
    for (Thread t : clients) {
      t.join();
    }
    await("100 transactions on all four", () -> replicas.stream().allMatch(r -> r.chain.txids.size() == 100));
    List<String> first = replicas.get(0).chain.all();
    assertThat(first).hasSize(100).doesNotHaveDuplicates();
    for (Replica r : replicas) {
      assertThat(r.chain.all()).isEqualTo(first);
      assertThat(r.chain.blockchainInfo()).isEqualTo(replicas.get(0).chain.blockchainInfo());
      long last = 0;
      for (byte[] m : r.chain.metadata) {
        assertThat(Digests.seqNo(m)).isGreaterThan(last);
        last = Digests.seqNo(m);
      }
      await("requests released on vp" + r.id, () -> r.consenter.pending() == 0);
    }
  }

  @Test
  void aFullIntakeRefusesAndLosesNothing() throws Exception {
    startAll();
    isolate(0, true);
    isolate(1, true);
    isolate(2, true); // nobody can agree: nothing executes
    Replica r = replicas.get(3);
    int accepted = 0;
    while (r.consenter.submit(tx("t" + accepted))) {
      accepted++;
    }
    assertThat(accepted).isEqualTo(CFG.capacity());
    assertThat(r.consenter.pending()).isEqualTo(CFG.capacity());
    isolate(0, false);
    isolate(1, false);
    isolate(2, false);
    int n = accepted;
    await("all accepted transactions committed everywhere",
        () -> replicas.stream().allMatch(x -> x.chain.txids.size() == n));
    await("intake free again", () -> r.consenter.pending() == 0);
    assertThat(r.consenter.submit(tx("after"))).isTrue();
  }

  @Test
  void aSubmitToAFullIntakeWaitsForRoomInsteadOfRefusing() throws Exception {
    startAll(x -> x.admissionWait = Duration.ofMinutes(1));
    Replica r = replicas.get(3);
    isolate(0, true);
    isolate(1, true);
    isolate(2, true);
    for (int i = 0; i < CFG.capacity(); i++) {
      assertThat(r.consenter.submit(tx("t" + i))).isTrue();
    }
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> r.consenter.submit(tx("waiting")));
    isolate(0, false);
    isolate(1, false);
    isolate(2, false);
    assertThat(waiting.get(30, TimeUnit.SECONDS)).as("accepted once a batch executed").isTrue();
    await("the waiting one committed everywhere", () -> replicas.stream().allMatch(x -> x.chain.txids.contains("waiting")));
  }

  @Test
  void acceptedTransactionsSurviveARestartOfTheirReplica() throws Exception {
    startAll();
    isolate(3, true);
    Replica r = replicas.get(3);
    for (int i = 0; i < 5; i++) {
      assertThat(r.consenter.submit(tx("kept" + i))).isTrue();
    }
    r.stop(); // "kill": what it accepted is only in its store
    assertThat(r.store.readAll(PbftRecords.REQUEST_PREFIX)).hasSize(5);
    isolate(3, false);
    r.start();
    await("the five committed on all four", () -> replicas.stream().allMatch(x -> x.chain.txids.size() == 5));
    await("their records removed", () -> r.store.readAll(PbftRecords.REQUEST_PREFIX).isEmpty());
  }

  @Test
  void aReplicaFarBehindTransfersStateAndRefusesQueriesMeanwhile() throws Exception {
    startAll();
    Replica late = replicas.get(3);
    late.transferGate = new CountDownLatch(1);
    isolate(3, true);
    for (int i = 0; i < 40; i++) {
      assertThat(replicas.get(i % 3).consenter.submit(tx("x" + i))).isTrue();
      int done = i + 1;
      await("x" + i, () -> replicas.get(0).chain.txids.size() == done); // one batch each: many checkpoints
    }
    isolate(3, false);
    for (int o = 0; o < 3; o++) {
      late.consenter.peerConnected("vp" + o);
      replicas.get(o).consenter.peerConnected("vp3");
    }
    await("vp3 refuses queries while transferring", () -> !late.consenter.queriesAllowed());
    late.transferGate.countDown();
    await("vp3 caught up", () -> late.chain.txids.size() == 40);
    await("vp3 answers queries again", late.consenter::queriesAllowed);
    assertThat(late.chain.all()).isEqualTo(replicas.get(0).chain.all());
  }

  @Test
  void messagesFromStrangersAndGarbageAreIgnored() throws Exception {
    startAll();
    PbftConsenter c = replicas.get(1).consenter;
    c.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(ByteString.copyFromUtf8("junk")).build(), "vp2");
    c.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(ByteString.EMPTY).build(), "jdoe");
    c.recvMsg(Message.newBuilder().setType(Message.Type.CONSENSUS).setPayload(ByteString.EMPTY).build(), "vp9");
    c.recvMsg(Message.newBuilder().setType(Message.Type.DISC_HELLO).build(), "vp2");
    assertThat(c.submit(tx("fine"))).isTrue();
    await("still ordering", () -> replicas.stream().allMatch(x -> x.chain.txids.contains("fine")));
    assertThat(PbftConsenter.replicaId("vp3", 4)).contains(3);
    assertThat(PbftConsenter.replicaId("vp4", 4)).isEmpty();
    assertThat(PbftConsenter.replicaId("vp03", 4)).isEmpty();
    assertThat(PbftConsenter.replicaId("jdoe", 4)).isEmpty();
  }

  @Test
  void aClosedConsenterRefuses() throws Exception {
    startAll();
    Replica r = replicas.get(2);
    PbftConsenter c = r.consenter;
    r.stop();
    assertThatThrownBy(() -> c.submit(tx("late"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shut down");
  }

  private static byte[] sha(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
