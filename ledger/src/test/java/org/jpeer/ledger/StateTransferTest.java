package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reads and writes state transfer uses (ledger.md §10), between two real ledgers. */
class StateTransferTest {
  @TempDir Path dir;
  private PeerLedger source;
  private PeerLedger target;

  @BeforeEach
  void fillSource() {
    source = Ledgers.open(dir.resolve("source"), LedgerOptions.defaults().withBuckets(101, 3));
    for (int n = 1; n <= 10; n++) {
      try (LedgerBatch batch = source.beginBatch()) {
        TxState tx = batch.beginTx("tx" + n);
        for (int k = 0; k < 5; k++) {
          tx.put("cc" + (k % 2), "key" + ((n * 7 + k) % 23), ("v" + n + "." + k).getBytes(StandardCharsets.UTF_8));
        }
        if (n % 3 == 0) {
          tx.delete("cc0", "key" + (n % 23));
        }
        tx.commit();
        batch.commit(List.of(Transaction.newBuilder().setTxid("tx" + n).build()), new byte[] {8, (byte) n}, List.of(),
            List.of());
      }
    }
  }

  @AfterEach
  void closeSource() {
    source.close();
  }

  private PeerLedger target(String name) {
    return Ledgers.open(dir.resolve(name), LedgerOptions.defaults().withBuckets(101, 3));
  }

  @Test
  void blockRangesGoBothWaysAndStopAtTheFirstMissingBlock() {
    assertThat(source.blocks(3, 5)).extracting(b -> b.getTransactions(0).getTxid()).containsExactly("tx3", "tx4", "tx5");
    assertThat(source.blocks(5, 3)).extracting(b -> b.getTransactions(0).getTxid()).containsExactly("tx5", "tx4", "tx3");
    assertThat(source.blocks(9, 20)).hasSize(2);
  }

  @Test
  void catchUpWithBlocksAndDeltasVerifiesEveryStep() {
    try (PeerLedger target = target("deltas")) {
      for (Block b : source.blocks(10, 1)) {
        target.putRawBlock(b, source.blocks(0, 10).indexOf(b));
      }
      assertThat(target.height()).isEqualTo(11);
      assertThat(target.blockchainInfo()).isEqualTo(source.blockchainInfo());
      assertThat(target.verifyChain(10, 0)).isZero();
      assertThat(target.transactionLocation("tx7")).contains(new TxLocation(7, 0));

      StateDelta d1 = source.stateDelta(1).orElseThrow();
      StateDelta forged = StateDelta.decode(d1.encode());
      forged.set("cc0", "forged", new byte[] {1}, null);
      byte[] before = target.committedStateHash();
      assertThatThrownBy(() -> target.applyStateDelta(1, forged)).isInstanceOf(LedgerException.class)
          .hasMessageContaining("does not produce block 1's state hash");
      assertThat(target.committedStateHash()).isEqualTo(before);

      for (long n = 1; n <= 10; n++) {
        target.applyStateDelta(n, StateDelta.decode(source.stateDelta(n).orElseThrow().encode()));
      }
      assertThat(target.committedStateHash()).isEqualTo(source.committedStateHash());
      assertThat(target.stateMatchesBlock(10)).isTrue();
      assertThat(target.stateBlockNumber()).isEqualTo(10);
    }
    // and the caught-up ledger passes its own consistency check
    try (PeerLedger reopened = target("deltas")) {
      assertThat(reopened.height()).isEqualTo(11);
    }
  }

  @Test
  void catchUpWithASnapshot() {
    target = target("snapshot");
    try {
      for (Block b : source.blocks(1, 10)) {
        target.putRawBlock(b, b.getConsensusMetadata().byteAt(1));
      }
      try (LedgerBatch batch = target.beginBatch()) {
        TxState junk = batch.beginTx("junk");
        junk.put("cc0", "stale", new byte[] {9});
        junk.commit();
        assertThatThrownBy(target::deleteAllState).isInstanceOf(IllegalStateException.class);
      }
      target.deleteAllState();
      assertThat(target.committedStateHash()).isEmpty();
      assertThat(target.stateBlockNumber()).isEqualTo(-1);
      long block;
      int entries = 0;
      try (StateSnapshot snapshot = source.stateSnapshot()) {
        block = snapshot.blockNumber();
        StateDelta piece = new StateDelta();
        while (snapshot.hasNext()) {
          StateSnapshot.Entry e = snapshot.next();
          piece.set(e.chaincodeId(), e.key(), e.value(), null);
          entries++;
          if (piece.size() == 4) {
            target.applySnapshotPiece(StateDelta.decode(piece.encode()));
            piece = new StateDelta();
          }
          if (entries == 8) {
            // a restart in the middle: the ledger opens, knows its state is incomplete
            target.close();
            target = target("snapshot");
            assertThat(target.stateBlockNumber()).isEqualTo(-1);
            assertThatThrownBy(() -> target.finishSnapshot(10)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("stays incomplete");
          }
        }
        target.applySnapshotPiece(piece);
      }
      assertThat(block).isEqualTo(10);
      assertThat(entries).isGreaterThan(10);
      assertThat(target.stateMatchesBlock(10)).isTrue();
      target.finishSnapshot(10);
      assertThat(target.stateBlockNumber()).isEqualTo(10);
      assertThat(target.committedState().get("cc0", "stale")).isNull();
    } finally {
      target.close();
    }
    try (PeerLedger reopened = target("snapshot")) {
      assertThat(reopened.stateBlockNumber()).isEqualTo(10);
    }
  }

  @Test
  void verifyChainFindsATamperedBlock() {
    try (PeerLedger target = target("tampered")) {
      List<Block> blocks = source.blocks(0, 10);
      for (int n = 1; n <= 10; n++) {
        Block b = blocks.get(n);
        if (n == 6) {
          b = b.toBuilder().setConsensusMetadata(ByteString.copyFromUtf8("evil")).build();
        }
        target.putRawBlock(b, n);
      }
      assertThat(target.verifyChain(10, 0)).isEqualTo(7);
      assertThat(target.verifyChain(5, 0)).isZero();
    }
  }

  @Test
  void deltaCodecRejectsGarbage() {
    byte[] good = source.stateDelta(3).orElseThrow().encode();
    assertThatThrownBy(() -> StateDelta.decode(java.util.Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state delta");
    assertThatThrownBy(() -> StateDelta.decode(new byte[] {1, 2, 'c', 'c', 1, 1, 'k', 7}))
        .hasMessageContaining("value marker 7");
    assertThat(StateDelta.decode(new byte[] {0}).isEmpty()).isTrue();
    assertThat(new StateDelta().encode()).containsExactly(0);
  }

  @Test
  void replacingTheTopBlockMakesItTheHead() {
    try (PeerLedger forked = target("forked")) {
      try (LedgerBatch batch = forked.beginBatch()) {
        TxState tx = batch.beginTx("other");
        tx.put("cc0", "k", new byte[] {9});
        tx.commit();
        batch.commit(List.of(Transaction.newBuilder().setTxid("other").build()), null, List.of(), List.of());
      }
      Block theirs = source.block(1).orElseThrow();
      forked.putRawBlock(theirs, 1);
      assertThat(forked.height()).isEqualTo(2);
      assertThat(forked.blockchainInfo().getCurrentBlockHash().toByteArray()).isEqualTo(Blocks.hash(theirs));
    }
  }

  @Test
  void oldBlocksMayBeFilledInWhileABatchIsOpen() {
    try (PeerLedger gap = target("gap")) {
      gap.putRawBlock(source.block(10).orElseThrow(), 10);
      try (LedgerBatch open = gap.beginBatch()) {
        gap.putRawBlock(source.block(4).orElseThrow(), 4);
        assertThatThrownBy(() -> gap.putRawBlock(source.block(10).orElseThrow(), 10))
            .isInstanceOf(IllegalStateException.class);
        open.rollback();
      }
      assertThat(gap.block(4)).contains(source.block(4).orElseThrow());
      assertThat(gap.blockchainInfo()).isEqualTo(source.blockchainInfo());
    }
  }
}
