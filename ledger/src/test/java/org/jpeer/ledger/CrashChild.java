package org.jpeer.ledger;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpeer.protos.Transaction;

/**
 * Child process of {@link CrashTest}: opens the ledger, prints "opened H", then commits blocks forever,
 * printing "committed H" (the new height) after each commit returns. Block n's writes depend only on
 * n, so the parent can replay any prefix of the chain.
 */
public final class CrashChild {
  private CrashChild() {}

  /** The writes of block n: chaincode key → value, a null value meaning delete. */
  static Map<String, String> writesOf(long n) {
    Map<String, String> writes = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      writes.put("k" + ((n * 31 + i * 7) % 400), "v" + n + "." + i);
    }
    if (n % 3 == 0) {
      writes.put("k" + ((n * 13) % 400), null);
    }
    return writes;
  }

  static LedgerOptions options() {
    return LedgerOptions.defaults().withBuckets(10_009, 10);
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (PeerLedger ledger = Ledgers.open(Path.of(args[0]), options())) {
      out.println("opened " + ledger.height());
      while (true) {
        long n = ledger.height();
        try (LedgerBatch batch = ledger.beginBatch()) {
          TxState tx = batch.beginTx("tx" + n);
          writesOf(n).forEach((k, v) -> {
            if (v == null) {
              tx.delete("cc", k);
            } else {
              tx.put("cc", k, v.getBytes(StandardCharsets.UTF_8));
            }
          });
          tx.commit();
          batch.commit(List.of(Transaction.newBuilder().setTxid("tx" + n).build()), null, List.of(), List.of());
        }
        out.println("committed " + ledger.height());
      }
    }
  }
}
