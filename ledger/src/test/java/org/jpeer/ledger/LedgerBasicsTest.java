package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerBasicsTest {
  @TempDir Path dir;

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static Transaction tx(String txid) {
    return Transaction.newBuilder().setTypeValue(2).setTxid(txid).build();
  }

  static List<String> keys(StateIterator it) {
    List<String> out = new ArrayList<>();
    try (it) {
      while (it.hasNext()) {
        StateEntry e = it.next();
        out.add(e.key() + "=" + str(e.value()));
      }
    }
    return out;
  }

  private static void commitWrites(PeerLedger ledger, String txid, Map<String, String> writes) {
    try (LedgerBatch batch = ledger.beginBatch()) {
      TxState t = batch.beginTx(txid);
      writes.forEach((k, v) -> {
        if (v == null) {
          t.delete("cc", k);
        } else {
          t.put("cc", k, utf8(v));
        }
      });
      t.commit();
      batch.commit(List.of(tx(txid)), null, List.of(ChaincodeEvent.getDefaultInstance()), List.of());
    }
  }

  @Test
  void batchWritesAreVisibleInsideTheBatchOnlyUntilCommit() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      LedgerBatch batch = ledger.beginBatch();
      TxState t1 = batch.beginTx("t1");
      t1.put("cc", "a", utf8("1"));
      assertThat(str(t1.get("cc", "a"))).isEqualTo("1");
      assertThat(ledger.committedState().get("cc", "a")).isNull();
      t1.commit();
      TxState t2 = batch.beginTx("t2");
      assertThat(str(t2.get("cc", "a"))).isEqualTo("1");
      t2.put("cc", "a", utf8("2"));
      t2.discard();
      TxState t3 = batch.beginTx("t3");
      assertThat(str(t3.get("cc", "a"))).isEqualTo("1");
      t3.commit();
      assertThat(ledger.committedState().get("cc", "a")).isNull();
      Block b = batch.commit(List.of(tx("t1"), tx("t3")), null, List.of(), List.of(new FailedTx(tx("t2"), "boom")));
      assertThat(b.getTransactionsCount()).isEqualTo(2);
      assertThat(str(ledger.committedState().get("cc", "a"))).isEqualTo("1");
      assertThat(ledger.transactionLocation("t3")).contains(new TxLocation(1, 1));
      assertThat(ledger.transaction("t3")).contains(tx("t3"));
      assertThat(ledger.transaction("t1")).contains(tx("t1"));
      assertThat(ledger.failure("t2")).contains(new TxFailure("t2", 1, "boom"));
      assertThat(ledger.transaction("t2")).isEmpty();
      assertThat(ledger.height()).isEqualTo(2);
    }
  }

  @Test
  void rollbackForgetsEverythingAndOnlyOneBatchAtATime() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      byte[] before = ledger.committedStateHash();
      LedgerBatch batch = ledger.beginBatch();
      assertThatThrownBy(ledger::beginBatch).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already in progress");
      TxState t = batch.beginTx("t");
      assertThatThrownBy(() -> batch.beginTx("u")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("t is still open");
      t.put("cc", "a", utf8("1"));
      t.commit();
      assertThat(batch.previewStateHash()).isNotEqualTo(before);
      batch.rollback();
      assertThatThrownBy(() -> batch.beginTx("x")).isInstanceOf(IllegalStateException.class);
      try (LedgerBatch again = ledger.beginBatch()) {
        assertThat(again.previewStateHash()).isEqualTo(before);
        assertThat(again.beginTx("y").get("cc", "a")).isNull();
      }
      assertThat(ledger.height()).isEqualTo(1);
    }
  }

  @Test
  void rangeScansAreOrderedWithInclusiveEnd() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      commitWrites(ledger, "t", Map.of("a", "1", "b", "2", "c", "3", "d", "4", "bb", "5"));
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState other = batch.beginTx("other");
        other.put("cc2", "b", utf8("x"));
        other.commit();
        assertThat(keys(ledger.committedState().range("cc", "b", "c"))).containsExactly("b=2", "bb=5", "c=3");
        assertThat(keys(ledger.committedState().range("cc", "b", ""))).containsExactly("b=2", "bb=5", "c=3", "d=4");
        assertThat(keys(ledger.committedState().range("cc", "", ""))).hasSize(5);
        assertThat(keys(ledger.committedState().range("cc", "c", "b"))).isEmpty();
        TxState t = batch.beginTx("u");
        t.put("cc", "ba", utf8("6"));
        t.delete("cc", "bb");
        t.put("cc", "c", utf8("7"));
        assertThat(keys(t.range("cc", "b", "c"))).containsExactly("b=2", "ba=6", "c=7");
        assertThat(keys(t.range("cc", "", ""))).containsExactly("a=1", "b=2", "ba=6", "c=7", "d=4");
        assertThat(keys(t.range("cc2", "", ""))).containsExactly("b=x");
        assertThat(keys(ledger.committedState().range("cc2", "", ""))).isEmpty();
      }
    }
  }

  @Test
  void rangeScanIsStableAcrossACommit() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      commitWrites(ledger, "t1", Map.of("a", "1", "b", "2"));
      try (StateIterator it = ledger.committedState().range("cc", "", "")) {
        commitWrites(ledger, "t2", Map.of("a", "9", "c", "3"));
        List<String> seen = new ArrayList<>();
        it.forEachRemaining(e -> seen.add(e.key() + "=" + str(e.value())));
        assertThat(seen).containsExactly("a=1", "b=2");
      }
    }
  }

  @Test
  void badInputGetsPreciseErrors() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults()); LedgerBatch batch = ledger.beginBatch()) {
      TxState t = batch.beginTx("t");
      assertThatThrownBy(() -> t.put("cc", "", utf8("x"))).hasMessageContaining("empty string key");
      assertThatThrownBy(() -> t.put("cc", "k", null)).hasMessageContaining("nil value");
      assertThatThrownBy(() -> t.put("c\0c", "k", utf8("x"))).hasMessageContaining("U+0000");
      assertThatThrownBy(() -> ledger.committedState().get("", "k")).hasMessageContaining("chaincodeId");
      assertThatThrownBy(() -> ledger.stateDelta(5)).hasMessageContaining("height is 1");
      t.discard();
      assertThatThrownBy(t::commit).hasMessageContaining("already ended");
    }
  }

  @Test
  void persistAllWritesAndDeletesTogetherAndSurvivesReopen() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      ledger.persist("consensus.a", utf8("1"));
      ledger.persist("consensus.b", utf8("2"));
      ledger.persistAll(Map.of("consensus.c", utf8("3"), "consensus.b", utf8("22")),
          List.of("consensus.a", "consensus.b"));
    }
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      Map<String, byte[]> records = ledger.persistedWithPrefix("consensus.");
      assertThat(records).containsOnlyKeys("b", "c");
      assertThat(str(records.get("b"))).isEqualTo("22");
      assertThat(str(records.get("c"))).isEqualTo("3");
      assertThatThrownBy(() -> ledger.persistAll(Map.of("", utf8("x")), List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ledger.persistedWithPrefix("consensus.")).containsOnlyKeys("b", "c");
    }
  }

  @Test
  void reopenKeepsEverything() {
    byte[] hash;
    Block last;
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      for (int i = 0; i < 5; i++) {
        commitWrites(ledger, "t" + i, Map.of("k" + i, "v" + i, "shared", "s" + i));
      }
      ledger.persist("consensus.pset", utf8("P"));
      hash = ledger.committedStateHash();
      last = ledger.block(5).orElseThrow();
    }
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      assertThat(ledger.height()).isEqualTo(6);
      assertThat(ledger.committedStateHash()).isEqualTo(hash);
      assertThat(ledger.block(5)).contains(last);
      assertThat(ledger.blockchainInfo().getCurrentBlockHash().toByteArray()).isEqualTo(Blocks.hash(last));
      assertThat(str(ledger.committedState().get("cc", "shared"))).isEqualTo("s4");
      assertThat(ledger.transactionLocation("t3")).contains(new TxLocation(4, 0));
      assertThat(ledger.persistedWithPrefix("consensus.")).containsOnlyKeys("pset");
      assertThat(ledger.verifyChain(5, 0)).isZero();
      commitWrites(ledger, "t9", Map.of("k9", "v9"));
      assertThat(ledger.block(6).orElseThrow().getPreviousBlockHash().toByteArray()).isEqualTo(Blocks.hash(last));
    }
  }

  @Test
  void deltasAreKeptForTheConfiguredNumberOfBlocks() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults().withDeltaHistorySize(3))) {
      for (int i = 1; i <= 5; i++) {
        commitWrites(ledger, "t" + i, Map.of("k", "v" + i));
      }
      assertThat(ledger.stateDelta(2)).isEmpty();
      StateDelta d5 = ledger.stateDelta(5).orElseThrow();
      assertThat(str(d5.get("cc", "k").value())).isEqualTo("v5");
      assertThat(str(d5.get("cc", "k").previousValue())).isEqualTo("v4");
      assertThat(ledger.stateDelta(3)).isPresent();
    }
  }

  @Test
  void hashingIsIncremental() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      Map<String, String> many = new java.util.HashMap<>();
      for (int i = 0; i < 200; i++) {
        many.put("k" + i, "v" + i);
      }
      commitWrites(ledger, "bulk", many);
      BucketTreeState tree = (BucketTreeState) ((RocksLedger) ledger).stateStore();
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState t = batch.beginTx("one");
        t.put("cc", "k7", utf8("changed"));
        t.commit();
        batch.previewStateHash();
        assertThat(tree.lastWork()).isEqualTo(new BucketTreeState.Work(1, tree.lowestLevel()));
      }
    }
  }

  @Test
  void optionsFromTheOriginalsConfiguration() {
    LedgerOptions core = LedgerOptions.fromConfiguration("buckettree",
        Map.of("numBuckets", 1000003, "maxGroupingAtEachLevel", "5", "bucketCacheSize", 100), 500);
    assertThat(core).isEqualTo(LedgerOptions.defaults());
    LedgerOptions fallback = LedgerOptions.fromConfiguration("", Map.of("numBuckets", "many"), 500);
    assertThat(fallback.numBuckets()).isEqualTo(10_009);
    assertThat(fallback.maxGroupingAtEachLevel()).isEqualTo(10);
    assertThat(LedgerOptions.fromConfiguration("raw", null, 10).dataStructure())
        .isEqualTo(LedgerOptions.StateStructure.RAW);
    assertThatThrownBy(() -> LedgerOptions.fromConfiguration("trie", Map.of(), 500))
        .hasMessageContaining("unsupported value 'trie'");
    assertThatThrownBy(() -> LedgerOptions.fromConfiguration("buckettree", Map.of(), -1))
        .hasMessageContaining("deltaHistorySize");
  }

  @Test
  void unknownFieldsDoNotChangeBlockHashes() throws Exception {
    Transaction clean = tx("t1");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    clean.writeTo(out);
    out.write(new byte[] {(byte) 0xF8, 0x06, 0x01}); // field 111, varint 1: unknown to protos.Transaction
    Transaction extended = Transaction.parseFrom(out.toByteArray());
    assertThat(extended).isNotEqualTo(clean);
    Block a;
    Block b;
    try (PeerLedger ledger = Ledgers.open(dir.resolve("a"), LedgerOptions.defaults());
        LedgerBatch batch = ledger.beginBatch()) {
      a = batch.commit(List.of(clean), null, List.of(), List.of());
    }
    try (PeerLedger ledger = Ledgers.open(dir.resolve("b"), LedgerOptions.defaults());
        LedgerBatch batch = ledger.beginBatch()) {
      b = batch.commit(List.of(extended), null, List.of(), List.of());
    }
    assertThat(Blocks.hash(b)).isEqualTo(Blocks.hash(a));
    assertThat(b.getTransactions(0)).isEqualTo(clean);
    assertThat(Blocks.hash(a.toBuilder().setTransactions(0, extended).build())).isEqualTo(Blocks.hash(a));
  }

  @Test
  void previewInfoIsTheInfoAfterCommit() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      commitWrites(ledger, "t0", Map.of("a", "1"));
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState t = batch.beginTx("t1");
        t.put("cc", "b", utf8("2"));
        t.commit();
        byte[] metadata = {8, 2};
        org.jpeer.protos.BlockchainInfo preview = batch.previewBlockchainInfo(List.of(tx("t1")), metadata);
        assertThat(preview.getHeight()).isEqualTo(3);
        assertThat(ledger.height()).isEqualTo(2);
        batch.commit(List.of(tx("t1")), metadata, List.of(), List.of());
        assertThat(ledger.blockchainInfo()).isEqualTo(preview);
      }
    }
  }
}
