package org.jpeer.peer.statetransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.StateDelta;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.SyncBlockRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catch-up algorithm against peers that lie, stay silent or answer out of order (real ledgers). */
class LedgerStateTransferTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private PeerLedger ledger(String name, long last, String variant) {
    PeerLedger l = Chains.extend(Chains.open(dir.resolve(name)), last, variant);
    open.add(l);
    return l;
  }

  private LedgerStateTransfer transfer(PeerLedger ledger, FakePeers peers) {
    LedgerStateTransfer t = new LedgerStateTransfer(ledger, new RecordingSyncClient(peers), Chains.FAST);
    open.add(t);
    return t;
  }

  /** A long fetch tells the operator how far it has come (here with no interval: a line per fetch). */
  @Test
  void aLongFetchLogsItsProgress() throws Exception {
    PeerLedger good = ledger("good", 60, "");
    PeerLedger behind = ledger("behind", 1, "");
    FakePeers peers = new FakePeers();
    peers.add("vp1", good);
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LedgerStateTransfer.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      LedgerStateTransfer t = new LedgerStateTransfer(behind, new RecordingSyncClient(peers), Chains.FAST, 0);
      open.add(t);
      assertThat(Chains.sync(t, good.blockchainInfo(), List.of("vp1"))).contains(good.blockchainInfo());
    } finally {
      logger.detachAppender(lines);
    }
    List<String> progress = lines.list.stream()
        .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("State transfer: ")).toList();
    assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
    assertThat(progress.get(0)).matches("State transfer: \\d+ blocks fetched, chain verified down to block \\d+ \\(\\d+ blocks left down to \\d+\\)");
  }

  @Test
  void aForgedDeltaIsRefusedAndTheNextPeersIsUsed() throws Exception {
    PeerLedger good = ledger("good", 10, "");
    PeerLedger behind = ledger("behind", 3, "");
    FakePeers peers = new FakePeers();
    FakePeers.Peer forger = peers.add("vp1", good);
    forger.deltas = d -> {
      StateDelta forged = StateDelta.decode(d.getDeltas(0).toByteArray());
      forged.set("cc0", "planted", new byte[] {1}, null);
      return d.toBuilder().setDeltas(0, ByteString.copyFrom(forged.encode())).build();
    };
    peers.add("vp2", good);
    assertThat(Chains.sync(transfer(behind, peers), good.blockchainInfo(), List.of("vp1", "vp2")))
        .contains(good.blockchainInfo());
    assertThat(behind.committedState().get("cc0", "planted")).isNull();
    assertThat(behind.committedStateHash()).isEqualTo(good.committedStateHash());
  }

  @Test
  void silentAndOutOfOrderPeersAreSkipped() throws Exception {
    PeerLedger good = ledger("good", 6, "");
    PeerLedger behind = ledger("behind", 1, "");
    FakePeers peers = new FakePeers();
    peers.add("silent", good).blocks = b -> null;
    peers.add("shuffler", good).blocks = b -> b.toBuilder()
        .setRange(SyncBlockRange.newBuilder().setStart(b.getRange().getStart() + 1).setEnd(b.getRange().getEnd() + 1))
        .build();
    peers.add("mute-deltas", good).deltas = d -> null;
    peers.add("vp0", good);
    assertThat(Chains.sync(transfer(behind, peers), good.blockchainInfo(), List.of("silent", "shuffler", "mute-deltas",
        "vp0"))).contains(good.blockchainInfo());
    assertThat(behind.committedStateHash()).isEqualTo(good.committedStateHash());
  }

  @Test
  void failsWhenNoPeerHasTheTargetsChain() throws Exception {
    PeerLedger other = ledger("other", 6, "-other");
    PeerLedger behind = ledger("behind", 1, "");
    PeerLedger good = ledger("good", 6, "");
    FakePeers peers = new FakePeers();
    peers.add("vp3", other);
    assertThat(Chains.sync(transfer(behind, peers), good.blockchainInfo(), List.of())).isEmpty();
    // nothing wrong was stored
    assertThat(behind.height()).isEqualTo(2);
    assertThat(Chains.sync(transfer(behind, new FakePeers()), good.blockchainInfo(), List.of())).isEmpty();
  }

  @Test
  void aTargetBelowTheLedgerOrWithoutABlockIsRefused() throws Exception {
    PeerLedger ahead = ledger("ahead", 5, "");
    PeerLedger lower = ledger("lower", 2, "");
    FakePeers peers = new FakePeers();
    peers.add("vp0", lower);
    assertThat(Chains.sync(transfer(ahead, peers), lower.blockchainInfo(), List.of())).isEmpty();
    assertThat(Chains.sync(transfer(ahead, peers), BlockchainInfo.getDefaultInstance(), List.of())).isEmpty();
    assertThat(ahead.height()).isEqualTo(6);
  }

  private LedgerStateTransfer snapshotOnly(PeerLedger ledger, FakePeers peers) {
    LedgerStateTransfer t = new LedgerStateTransfer(ledger, new RecordingSyncClient(peers),
        new org.jpeer.config.SyncSettings(10, 20, 50, Chains.FAST.snapshotWriteTimeout(), true, 20, 2,
            Chains.FAST.singleBlockTimeout(), Chains.FAST.singleStateDeltaTimeout(), Chains.FAST.fullStateTimeout()));
    open.add(t);
    return t;
  }

  /** A ledger at block 8 (the target), one at block 12 serving as vp0, and an empty one to fill. */
  private final class AboveTarget {
    final PeerLedger atTarget = ledger("target", 8, "");
    final BlockchainInfo target = atTarget.blockchainInfo();
    final PeerLedger empty = Chains.open(dir.resolve("empty"));
    final FakePeers peers = new FakePeers();
    final FakePeers.Peer vp0 = peers.add("vp0", ledger("ahead", 12, ""));

    AboveTarget() {
      open.add(empty);
    }
  }

  @Test
  void aSnapshotAboveTheTargetIsTakenBackToTheTargetWithTheDeltasAbove() throws Exception {
    // the others moved on past the checkpoint the consenter targets, and no newer one comes
    AboveTarget f = new AboveTarget();
    PeerLedger atTarget = f.atTarget;
    BlockchainInfo target = f.target;
    PeerLedger empty = f.empty;
    assertThat(Chains.sync(snapshotOnly(empty, f.peers), target, List.of("vp0"))).contains(target);
    assertThat(empty.height()).isEqualTo(target.getHeight());
    assertThat(empty.stateBlockNumber()).isEqualTo(8);
    assertThat(empty.committedStateHash()).isEqualTo(atTarget.committedStateHash());
  }

  @Test
  void aSnapshotAboveTheTargetWithForgedDeltasIsRefused() throws Exception {
    AboveTarget f = new AboveTarget();
    PeerLedger atTarget = f.atTarget;
    BlockchainInfo target = f.target;
    PeerLedger empty = f.empty;
    FakePeers peers = f.peers;
    f.vp0.deltas = d -> {
      StateDelta forged = StateDelta.decode(d.getDeltas(0).toByteArray());
      forged.set("cc0", "planted", new byte[] {1}, new byte[] {2}); // undone, "planted" would become 2
      return d.toBuilder().setDeltas(0, ByteString.copyFrom(forged.encode())).build();
    };
    LedgerStateTransfer t = snapshotOnly(empty, peers);
    assertThat(Chains.sync(t, target, List.of("vp0"))).isEmpty();
    // with an honest peer it works, also from the incomplete state left behind
    peers.add("vp1", atTarget);
    assertThat(Chains.sync(t, target, List.of("vp1"))).contains(target);
    assertThat(empty.committedStateHash()).isEqualTo(atTarget.committedStateHash());
    assertThat(empty.committedState().get("cc0", "planted")).isNull();
  }

  @Test
  void everyCallIsAnsweredOnceAlsoWhenClosed() throws Exception {
    PeerLedger good = ledger("good", 4, "");
    PeerLedger behind = ledger("behind", 1, "");
    FakePeers peers = new FakePeers();
    peers.add("slow", good).blocks = b -> null; // each transfer waits for its timeouts
    LedgerStateTransfer t = new LedgerStateTransfer(behind, peers, Chains.FAST);
    List<Optional<BlockchainInfo>> results = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> third = new CompletableFuture<>();
    t.syncTo(good.blockchainInfo(), List.of(), results::add);
    t.syncTo(good.blockchainInfo(), List.of(), results::add);
    t.syncTo(good.blockchainInfo(), List.of(), r -> {
      results.add(r);
      third.complete(null);
    });
    t.close();
    third.get(10, TimeUnit.SECONDS);
    t.syncTo(good.blockchainInfo(), List.of(), results::add);
    assertThat(results).hasSize(4).allMatch(Optional::isEmpty);
  }
}
