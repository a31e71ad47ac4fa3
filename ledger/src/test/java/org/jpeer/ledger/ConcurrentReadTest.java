package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers on other threads see only committed block boundaries: transfers keep the total of all
 * balances constant per block, but not between the transactions of a batch.
 */
class ConcurrentReadTest {
  private static final int ACCOUNTS = 20;
  private static final long TOTAL = ACCOUNTS * 100L;

  @TempDir Path dir;

  @Test
  void committedReadsNeverSeeAHalfExecutedBatch() throws Exception {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState tx = batch.beginTx("init");
        for (int i = 0; i < ACCOUNTS; i++) {
          tx.put("bank", account(i), bytes(100));
        }
        tx.commit();
        batch.commit(List.of(), null, List.of(), List.of());
      }
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong scans = new AtomicLong();
      ExecutorService readers = Executors.newFixedThreadPool(2);
      try {
        Future<String> byScan = readers.submit(() -> {
          while (writing.get() || scans.get() < 10) {
            long sum = 0;
            try (StateIterator it = ledger.committedState().range("bank", "", "")) {
              while (it.hasNext()) {
                sum += Long.parseLong(new String(it.next().value(), StandardCharsets.UTF_8));
              }
            }
            scans.incrementAndGet();
            if (sum != TOTAL) {
              return "a range scan summed to " + sum;
            }
          }
          return null;
        });
        Future<String> byInfo = readers.submit(() -> {
          while (writing.get()) {
            long height = ledger.height();
            if (ledger.block(height - 1).isEmpty()) {
              return "block " + (height - 1) + " missing while the height is " + height;
            }
          }
          return null;
        });
        Random random = new Random(3);
        for (int b = 0; b < 150; b++) {
          try (LedgerBatch batch = ledger.beginBatch()) {
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            TxState debit = batch.beginTx("debit" + b);
            debit.put("bank", account(from), bytes(value(debit, from) - 7));
            debit.commit();
            TxState credit = batch.beginTx("credit" + b);
            credit.put("bank", account(to), bytes(value(credit, to) + 7));
            credit.commit();
            batch.commit(List.of(), null, List.of(), List.of());
          }
        }
        writing.set(false);
        assertThat(byScan.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(byInfo.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(scans.get()).isGreaterThanOrEqualTo(10);
      } finally {
        writing.set(false);
        readers.shutdownNow();
        assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static String account(int i) {
    return String.format("acct%02d", i);
  }

  private static byte[] bytes(long v) {
    return Long.toString(v).getBytes(StandardCharsets.UTF_8);
  }

  private static long value(StateReader reader, int account) {
    return Long.parseLong(new String(reader.get("bank", account(account)), StandardCharsets.UTF_8));
  }
}
