package org.jpeer.bench.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Transaction;

/** A ledger in a temporary folder, preloaded with state and blocks, as the benchmarks need it. */
final class LedgerFixture implements AutoCloseable {
  static final String CHAINCODE = "bench";
  final Path dir;
  final PeerLedger ledger;
  final Random random = new Random(7);
  final int keySpace;
  private long txCounter;

  LedgerFixture(LedgerOptions options, int preloadKeys) throws IOException {
    dir = Files.createTempDirectory("jpeer-ledger-bench");
    ledger = Ledgers.open(dir, options);
    keySpace = preloadKeys;
    for (int start = 0; start < preloadKeys; start += 10_000) {
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState tx = batch.beginTx("preload" + start);
        for (int k = start; k < Math.min(preloadKeys, start + 10_000); k++) {
          tx.put(CHAINCODE, key(k), value(k));
        }
        tx.commit();
        batch.commit(List.of(Transaction.newBuilder().setTxid("preload" + start).build()), null, List.of(), List.of());
      }
    }
  }

  static String key(int k) {
    return String.format("account%08d", k);
  }

  static byte[] value(long v) {
    return ("balance:" + v + ":0123456789abcdef").getBytes(StandardCharsets.UTF_8);
  }

  /** One block the way the executor builds it: 500 transactions writing two keys each. */
  void commitBlock(int transactions, int writesPerTx) {
    List<Transaction> txs = new ArrayList<>(transactions);
    try (LedgerBatch batch = ledger.beginBatch()) {
      for (int t = 0; t < transactions; t++) {
        String txid = "tx" + (txCounter++);
        TxState tx = batch.beginTx(txid);
        for (int w = 0; w < writesPerTx; w++) {
          int k = random.nextInt(keySpace * 2); // half updates, half inserts
          tx.put(CHAINCODE, key(k), value(txCounter));
        }
        tx.commit();
        txs.add(Transaction.newBuilder().setTxid(txid).setTypeValue(2).build());
      }
      batch.commit(txs, null, List.of(), List.of());
    }
  }

  String randomCommittedTxid() {
    return "tx" + (long) (random.nextDouble() * txCounter);
  }

  @Override
  public void close() throws IOException {
    ledger.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
