package org.jpeer.peer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consenter's store and chain view over a real ledger, keys as the original lays them out. */
class LedgerAdaptersTest {
  @TempDir Path dir;

  private PeerLedger open() {
    return Ledgers.open(dir.resolve("db"), LedgerOptions.defaults().withBuckets(101, 3));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void consensusRecordsLiveUnderTheConsensusPrefixAndSurviveARestart() {
    try (PeerLedger ledger = open()) {
      LedgerConsensusStore store = new LedgerConsensusStore(ledger);
      store.write(Map.of("chkpt.10", b("ten"), "chkpt.20", b("twenty"), "pset", b("p")), List.of());
      store.write(Map.of("qset", b("q")), List.of("chkpt.10", "nothing"));
      ledger.persist("discovery", b("not mine"));
      // the original's keys in persistCF
      assertThat(ledger.persisted("consensus.chkpt.20")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("twenty")));
      assertThat(ledger.persisted("consensus.chkpt.10")).isEmpty();
    }
    try (PeerLedger ledger = open()) {
      LedgerConsensusStore store = new LedgerConsensusStore(ledger);
      assertThat(store.readAll("chkpt.")).containsOnlyKeys("chkpt.20");
      assertThat(store.readAll("")).containsOnlyKeys("chkpt.20", "pset", "qset");
      assertThat(store.readAll("")).doesNotContainKey("discovery");
    }
  }

  @Test
  void chainViewGivesTheHeadAndItsConsensusMetadata() {
    try (PeerLedger ledger = open()) {
      LedgerChainView view = new LedgerChainView(ledger);
      assertThat(view.blockchainInfo().getHeight()).isEqualTo(1);
      assertThat(view.headMetadata()).isEmpty();
      try (LedgerBatch batch = ledger.beginBatch()) {
        batch.beginTx("t1").commit();
        batch.commit(List.of(Transaction.newBuilder().setTxid("t1").build()), new byte[] {8, 42}, List.of(), List.of());
      }
      assertThat(view.blockchainInfo()).isEqualTo(ledger.blockchainInfo());
      assertThat(view.blockchainInfo().getHeight()).isEqualTo(2);
      assertThat(view.headMetadata()).containsExactly(8, 42);
      assertThat(view.hasTransaction("t1")).isTrue();
      assertThat(view.hasTransaction("t2")).isFalse();
      try (LedgerBatch batch = ledger.beginBatch()) {
        batch.commit(List.of(), new byte[0], List.of(), List.of(new FailedTx(org.jpeer.protos.Transaction.newBuilder().setTxid("t2").build(), "it failed")));
      }
      assertThat(view.hasTransaction("t2")).isTrue();
    }
  }
}
