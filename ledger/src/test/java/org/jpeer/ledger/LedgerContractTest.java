package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ledger refuses and what it writes beside the blocks: misuse is refused with the
 * documented message (not silently served), and the indexes are the original's layout.
 */
class LedgerContractTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Transaction tx(String txid) {
    return Transaction.newBuilder().setTypeValue(2).setTxid(txid).build();
  }

  private static void commit(PeerLedger ledger, String txid, String key, String value) {
    try (LedgerBatch batch = ledger.beginBatch()) {
      TxState t = batch.beginTx(txid);
      t.put("cc", key, utf8(value));
      t.commit();
      batch.commit(List.of(tx(txid)), null, List.of(ChaincodeEvent.getDefaultInstance()), List.of());
    }
  }

  @Test
  void anEndedTransactionRefusesEveryCall() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults());
        LedgerBatch batch = ledger.beginBatch()) {
      TxState t = batch.beginTx("t1");
      t.commit();
      String ended = "Transaction t1 has already ended";
      assertThatThrownBy(() -> t.get("cc", "a")).isInstanceOf(IllegalStateException.class).hasMessage(ended);
      assertThatThrownBy(() -> t.put("cc", "a", utf8("1"))).hasMessage(ended);
      assertThatThrownBy(() -> t.delete("cc", "a")).hasMessage(ended);
      assertThatThrownBy(() -> t.range("cc", "", "")).hasMessage(ended);
      assertThatThrownBy(t::discard).hasMessage(ended);
      batch.rollback();
      assertThatThrownBy(() -> batch.beginTx("t2")).hasMessage("This batch has already been committed or rolled back");
    }
  }

  @Test
  void badArgumentsAreRefusedEverywhere() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      StateReader committed = ledger.committedState();
      assertThatThrownBy(() -> committed.get("", "a")).hasMessage("chaincodeId must be a non-empty string");
      assertThatThrownBy(() -> committed.get("c\0c", "a"))
          .hasMessage("chaincodeId must not contain the character U+0000: c\0c");
      assertThatThrownBy(() -> committed.get("cc", null)).hasMessage("key must not be null");
      assertThatThrownBy(() -> committed.range("", "a", "b")).hasMessage("chaincodeId must be a non-empty string");
      assertThatThrownBy(() -> committed.range("cc", null, "")).hasMessage("startKey must not be null");
      assertThatThrownBy(() -> committed.range("cc", "", null)).hasMessage("endKey must not be null");
      assertThatThrownBy(() -> ledger.failure("")).hasMessage("txid must be a non-empty string");
      assertThatThrownBy(() -> ledger.transactionLocation("")).hasMessage("txid must be a non-empty string");
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState t = batch.beginTx("t1");
        assertThatThrownBy(() -> t.get(null, "a")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("chaincodeId must be a non-empty string");
        assertThatThrownBy(() -> t.get("cc", null)).hasMessage("key must not be null");
        assertThatThrownBy(() -> t.delete("", "a")).hasMessage("chaincodeId must be a non-empty string");
        assertThatThrownBy(() -> t.range("c\0", "", "")).hasMessage("chaincodeId must not contain the character U+0000: c\0");
        assertThatThrownBy(() -> t.range("cc", null, "")).hasMessage("startKey must not be null");
        assertThatThrownBy(() -> t.range("cc", "", null)).hasMessage("endKey must not be null");
        t.discard();
      }
    }
  }

  @Test
  void stateTransferCallsNeedTheLedgerWithoutAnOpenBatch() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults());
        LedgerBatch batch = ledger.beginBatch()) {
      String suffix = " needs the ledger without an open batch; roll the batch back first";
      Block genesis = ledger.block(0).orElseThrow();
      // at or above the top it would move the head a batch commits on; below the top it may
      // run during a batch (filling in old blocks after a snapshot)
      assertThatThrownBy(() -> ledger.putRawBlock(genesis, 1)).hasMessage("putRawBlock of the top block or above" + suffix);
      assertThatThrownBy(() -> ledger.applyStateDelta(0, new StateDelta())).hasMessage("applyStateDelta" + suffix);
      assertThatThrownBy(() -> ledger.applySnapshotPiece(new StateDelta())).hasMessage("applySnapshotPiece" + suffix);
      assertThatThrownBy(() -> ledger.finishSnapshot(0)).hasMessage("finishSnapshot" + suffix);
      assertThatThrownBy(ledger::deleteAllState).hasMessage("deleteAllState" + suffix);
      assertThatThrownBy(ledger::beginBatch)
          .hasMessage("Another batch is already in progress; commit or roll it back first");
      batch.rollback();
    }
  }

  @Test
  void aClosedLedgerRefusesReadsAndWrites() {
    PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults());
    ledger.close();
    String closed = "The ledger in " + dir + " is closed";
    assertThatThrownBy(ledger::beginBatch).isInstanceOf(LedgerException.class).hasMessage(closed);
    assertThatThrownBy(() -> ledger.block(0)).hasMessage(closed);
    assertThatThrownBy(() -> ledger.committedState().get("cc", "a")).hasMessage(closed);
    assertThatThrownBy(() -> ledger.persist("k", new byte[1])).hasMessage(closed);
    ledger.close(); // idempotent
  }

  @Test
  void blocksDeltasAndStateMatchByNumber() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      commit(ledger, "t1", "a", "1");
      commit(ledger, "t2", "b", "2");
      assertThat(ledger.block(3)).isEmpty();
      assertThat(ledger.block(-1)).isEmpty();
      assertThat(ledger.block(2)).isPresent();
      assertThat(ledger.blocks(0, 5)).extracting(b -> b.getTransactionsCount()).containsExactly(0, 1, 1);
      assertThat(ledger.blocks(2, 1)).extracting(b -> b.getTransactions(0).getTxid()).containsExactly("t2", "t1");
      assertThat(ledger.stateDelta(2)).hasValueSatisfying(d -> assertThat(d.get("cc", "b").value()).isEqualTo(utf8("2")));
      assertThatThrownBy(() -> ledger.stateDelta(3)).hasMessage("No block 3: the height is 3");
      assertThatThrownBy(() -> ledger.stateDelta(-1)).hasMessage("No block -1: the height is 3");
      assertThat(ledger.stateMatchesBlock(2)).isTrue();
      assertThat(ledger.stateMatchesBlock(1)).as("the state has moved on since block 1").isFalse();
      assertThat(ledger.stateMatchesBlock(7)).isFalse();
      assertThat(ledger.verifyChain(2, 0)).isZero();
      assertThat(ledger.stateBlockNumber()).isEqualTo(2);

      ledger.deleteAllState();
      assertThat(ledger.stateBlockNumber()).isEqualTo(-1);
      assertThat(ledger.committedState().get("cc", "a")).isNull();
      assertThat(ledger.stateDelta(2)).isEmpty();
      try (StateIterator all = ledger.committedState().range("cc", "", "")) {
        assertThat(all.hasNext()).isFalse();
      }
      assertThat(ledger.stateMatchesBlock(2)).isFalse();
    }
  }

  @Test
  void indexesBesideTheBlocksAreTheOriginalsLayout() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      try (LedgerBatch batch = ledger.beginBatch()) {
        for (String txid : List.of("x0", "x1", "x2")) {
          batch.beginTx(txid).commit();
        }
        batch.commit(List.of(tx("x0"), tx("x1"), tx("x2")), null, List.of(), List.of());
      }
      Store store = ((RocksLedger) ledger).store();
      byte[] hash = Blocks.hash(ledger.block(1).orElseThrow());
      // 0x01 ‖ block hash → varint(block number)
      assertThat(store.get(store.indexes, new Buf(65).put(0x01).put(hash).toArray())).containsExactly(1);
      // 0x02 ‖ txid → varint(block) ‖ varint(index)
      assertThat(store.get(store.indexes, new Buf(4).put(0x02).put(utf8("x2")).toArray())).containsExactly(1, 2);
      // 0x03 ‖ varint(8) ‖ "address1" ‖ varint(block) → the indexes of the block's transactions
      byte[] addressKey = new Buf(16).put(0x03).varint(8).put(utf8("address1")).varint(1).toArray();
      assertThat(HexFormat.of().formatHex(store.get(store.indexes, addressKey))).isEqualTo("000102");
      assertThat(ledger.transactionLocation("x1")).contains(new TxLocation(1, 1));
      assertThat(ledger.transaction("x2")).contains(tx("x2"));
      assertThat(ledger.persistedWithPrefix("consensus.")).isEqualTo(Map.of());
    }
  }
}
