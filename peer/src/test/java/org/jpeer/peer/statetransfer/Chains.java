package org.jpeer.peer.statetransfer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.SyncSettings;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Transaction;

/** Real ledgers with deterministic chains: the same variant gives the same blocks in every ledger. */
final class Chains {
  private Chains() {}

  /** Short timeouts so that a silent peer costs the tests little. */
  static final SyncSettings FAST = new SyncSettings(10, 20, 50, java.time.Duration.ofSeconds(10), true, 20, 200,
      java.time.Duration.ofMillis(500), java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(10));

  static PeerLedger open(Path dir) {
    return open(dir, 500);
  }

  static PeerLedger open(Path dir, int deltaHistory) {
    return Ledgers.open(dir, LedgerOptions.defaults().withBuckets(1009, 5).withVerifyChecksumsOnOpen(false)
        .withDeltaHistorySize(deltaHistory));
  }

  /** Commits blocks until the ledger's last block is {@code last}; block n writes a few keys. */
  static PeerLedger extend(PeerLedger ledger, long last, String variant) {
    while (ledger.height() <= last) {
      long n = ledger.height();
      try (LedgerBatch batch = ledger.beginBatch()) {
        String txid = "tx" + n + variant;
        TxState tx = batch.beginTx(txid);
        for (int k = 0; k < 5; k++) {
          tx.put("cc" + (k % 2), "key" + ((n * 7 + k) % 23), ("v" + n + "." + k + variant).getBytes(StandardCharsets.UTF_8));
        }
        if (n % 3 == 0) {
          tx.delete("cc0", "key" + (n % 23));
        }
        tx.commit();
        batch.commit(List.of(Transaction.newBuilder().setTxid(txid).build()), new byte[0], List.of(), List.of());
      }
    }
    return ledger;
  }

  /** Runs a transfer and waits for its result. */
  static Optional<BlockchainInfo> sync(LedgerStateTransfer transfer, BlockchainInfo target, List<String> peers)
      throws Exception {
    CompletableFuture<Optional<BlockchainInfo>> result = new CompletableFuture<>();
    transfer.syncTo(target, peers, result::complete);
    return result.get(60, TimeUnit.SECONDS);
  }
}
