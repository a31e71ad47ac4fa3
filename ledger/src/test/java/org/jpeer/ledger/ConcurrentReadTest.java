package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
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
 * balances constant per block, but not between the transactions of a batch. The test reads on
 * another thread at the points where a batch is half executed (and waits for that read), so a
 * committed view that leaked uncommitted writes is caught every time; a free-running reader
 * besides looks for a torn commit.
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
      StateReader committed = ledger.committedState();
      Callable<Long> scanTotal = () -> {
        long sum = 0;
        try (StateIterator it = committed.range("bank", "", "")) {
          while (it.hasNext()) {
            sum += Long.parseLong(new String(it.next().value(), StandardCharsets.UTF_8));
          }
        }
        return sum;
      };
      Callable<Long> pointTotal = () -> {
        long sum = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
          sum += value(committed, i);
        }
        return sum;
      };
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong scans = new AtomicLong();
      ExecutorService reader = Executors.newSingleThreadExecutor();
      ExecutorService background = Executors.newSingleThreadExecutor();
      try {
        Future<String> freeRunning = background.submit(() -> {
          while (writing.get() || scans.get() < 10) {
            long sum = scanTotal.call();
            scans.incrementAndGet();
            long height = ledger.height();
            if (sum != TOTAL) {
              return "a range scan summed to " + sum;
            }
            if (ledger.block(height - 1).isEmpty()) {
              return "block " + (height - 1) + " missing while the height is " + height;
            }
          }
          return null;
        });
        Random random = new Random(3);
        for (int b = 0; b < 150; b++) {
          int from = random.nextInt(ACCOUNTS);
          int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
          long fromBefore = value(committed, from);
          long height = ledger.height();
          try (LedgerBatch batch = ledger.beginBatch()) {
            TxState debit = batch.beginTx("debit" + b);
            debit.put("bank", account(from), bytes(value(debit, from) - 7));
            debit.commit();
            // half the transfer is in the batch: another thread must not see it
            assertThat(reader.submit(scanTotal).get(60, TimeUnit.SECONDS)).as("scan mid-batch %d", b).isEqualTo(TOTAL);
            assertThat(reader.submit(pointTotal).get(60, TimeUnit.SECONDS)).as("gets mid-batch %d", b).isEqualTo(TOTAL);
            assertThat(reader.submit(() -> value(committed, from)).get(60, TimeUnit.SECONDS)).isEqualTo(fromBefore);
            TxState credit = batch.beginTx("credit" + b);
            credit.put("bank", account(to), bytes(value(credit, to) + 7));
            credit.commit();
            assertThat(reader.submit(() -> value(committed, from)).get(60, TimeUnit.SECONDS)).isEqualTo(fromBefore);
            assertThat(reader.submit(ledger::height).get(60, TimeUnit.SECONDS)).isEqualTo(height);
            batch.commit(List.of(), null, List.of(), List.of());
          }
          // and once the block is committed, all of it at once
          assertThat(reader.submit(() -> value(committed, from)).get(60, TimeUnit.SECONDS)).isEqualTo(fromBefore - 7);
          assertThat(reader.submit(scanTotal).get(60, TimeUnit.SECONDS)).isEqualTo(TOTAL);
        }
        writing.set(false);
        assertThat(freeRunning.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(scans.get()).isGreaterThanOrEqualTo(10);
      } finally {
        writing.set(false);
        reader.shutdownNow();
        background.shutdownNow();
        assertThat(reader.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(background.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
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
