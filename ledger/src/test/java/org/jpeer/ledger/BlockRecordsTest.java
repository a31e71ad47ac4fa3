package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the event hub needs from the ledger: the failed transactions kept with their block, and listeners. */
class BlockRecordsTest {
  @TempDir Path dir;

  private static Transaction tx(String txid) {
    return Transaction.newBuilder().setTypeValue(2).setTxid(txid).build();
  }

  private static Block commit(PeerLedger ledger, List<Transaction> ok, List<FailedTx> failed) {
    try (LedgerBatch batch = ledger.beginBatch()) {
      return batch.commit(ok, null, List.of(), failed);
    }
  }

  @Test
  void theFailedTransactionsOfABlockAreKeptWithItInOrderAndSurviveAReopen() {
    FailedTx first = new FailedTx(tx("bad-1").toBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("p")).build(),
        "Incorrect number of arguments");
    FailedTx second = new FailedTx(tx("bad-2"), "");
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      commit(ledger, List.of(tx("good")), List.of(first, second));
      commit(ledger, List.of(tx("good-2")), List.of());
    }
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      assertThat(ledger.failedIn(1)).contains(List.of(first, second));
      assertThat(ledger.failedIn(2)).contains(List.of());
      assertThat(ledger.failedIn(0)).as("the genesis block is executed here too").contains(List.of());
      assertThat(ledger.failedIn(3)).as("not stored").isEmpty();
      assertThat(ledger.failedIn(-1)).isEmpty();
      assertThat(ledger.failure("bad-1")).contains(new TxFailure("bad-1", 1, "Incorrect number of arguments"));
    }
  }

  @Test
  void aBlockReceivedFromAnotherPeerHasNoRecordEvenWhereItReplacesAnExecutedOne() {
    Path otherDir = dir.resolve("other");
    try (PeerLedger source = Ledgers.open(otherDir, LedgerOptions.defaults());
        PeerLedger ledger = Ledgers.open(dir.resolve("mine"), LedgerOptions.defaults())) {
      Block theirs = commit(source, List.of(tx("theirs")), List.of());
      commit(ledger, List.of(tx("mine")), List.of(new FailedTx(tx("x"), "boom")));
      assertThat(ledger.failedIn(1)).isPresent();
      ledger.putRawBlock(theirs, 1);
      assertThat(ledger.failedIn(1)).isEmpty();
      ledger.putRawBlock(theirs.toBuilder().setPreviousBlockHash(com.google.protobuf.ByteString.copyFromUtf8("h")).build(), 5);
      assertThat(ledger.failedIn(5)).isEmpty();
    }
  }

  @Test
  void listenersHearOfEveryCommitAndEveryReceivedBlockAfterTheWriteAndAFailingOneChangesNothing() {
    List<String> heard = new ArrayList<>();
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      ledger.addListener(new LedgerListener() {
        @Override
        public void committed(long number, Block block, List<FailedTx> failed) {
          throw new IllegalStateException("a broken listener");
        }

        @Override
        public void stored(long number, Block block) {
          throw new IllegalStateException("a broken listener");
        }
      });
      ledger.addListener(new LedgerListener() {
        @Override
        public void committed(long number, Block block, List<FailedTx> failed) {
          assertThat(ledger.block(number)).contains(block);
          heard.add("committed " + number + " " + block.getTransactions(0).getTxid() + " failed=" + failed.size());
        }

        @Override
        public void stored(long number, Block block) {
          assertThat(ledger.block(number)).contains(block);
          heard.add("stored " + number);
        }
      });
      Block one = commit(ledger, List.of(tx("a")), List.of(new FailedTx(tx("b"), "no")));
      commit(ledger, List.of(tx("c")), List.of());
      ledger.putRawBlock(one, 1);
      assertThat(ledger.height()).isEqualTo(3);
    }
    assertThat(heard).containsExactly("committed 1 a failed=1", "committed 2 c failed=0", "stored 1");
  }
}
