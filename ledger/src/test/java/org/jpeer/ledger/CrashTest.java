package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM commits blocks in a loop and is killed with SIGKILL at random moments; after each
 * kill the ledger must reopen at or beyond the last height the child reported, with an intact chain
 * and the state of a replay of its blocks. Seed: {@code -Dledger.seed}.
 */
class CrashTest {
  private static final int KILLS = 20;
  private static final long TIMEOUT_SECONDS = 30;

  @TempDir Path dir;

  @Test
  void sigkillNeverLosesOrTearsABlock() throws Exception {
    long seed = Long.getLong("ledger.seed", System.nanoTime());
    Random random = new Random(seed);
    Path db = dir.resolve("db");
    Path childLog = dir.resolve("child-stderr.txt");
    long lastReported = 0;
    try {
      for (int kill = 0; kill < KILLS; kill++) {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", CrashChild.class.getName(), db.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(childLog.toFile()));
        Process child = pb.start();
        try {
          BlockingQueue<String> lines = new LinkedBlockingQueue<>();
          Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
              for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
              }
            } catch (java.io.IOException e) {
              // the child was killed: its pipe closes
            }
          }, "crash-child-reader");
          reader.setDaemon(true);
          reader.start();

          String opened = next(lines, child, childLog);
          assertThat(opened).startsWith("opened ");
          long openedAt = Long.parseLong(opened.substring(7));
          assertThat(openedAt).as("height after reopening in the child").isGreaterThanOrEqualTo(lastReported);
          // Kill right after opening sometimes, otherwise after a random number of further commits.
          int commits = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(6);
          for (int c = 0; c < commits; c++) {
            String line = next(lines, child, childLog);
            assertThat(line).startsWith("committed ");
            lastReported = Long.parseLong(line.substring(10));
          }
          child.destroyForcibly();
          assertThat(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child died").isTrue();
          // Reports written before the kill but not yet read still count as promises.
          reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
          for (String line; (line = lines.poll()) != null; ) {
            if (line.startsWith("committed ")) {
              lastReported = Long.parseLong(line.substring(10));
            }
          }
        } finally {
          child.destroyForcibly();
        }
        checkLedger(db, lastReported);
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("Failed with seed " + seed + "; rerun with -Dledger.seed=" + seed
          + "; child stderr in " + childLog, e);
    }
    assertThat(lastReported).as("blocks committed across all kills").isGreaterThan(KILLS);
  }

  private static String next(BlockingQueue<String> lines, Process child, Path childLog) throws InterruptedException {
    String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("child printed nothing for " + TIMEOUT_SECONDS + " s (alive: " + child.isAlive()
          + "); see " + childLog);
    }
    return line;
  }

  private static void checkLedger(Path db, long lastReported) {
    try (PeerLedger ledger = Ledgers.open(db, CrashChild.options())) {
      long height = ledger.height();
      assertThat(height).as("height after the kill").isGreaterThanOrEqualTo(lastReported);
      assertThat(ledger.verifyChain(height - 1, 0)).as("lowest block from which the chain is intact").isZero();
      Map<String, TreeMap<String, byte[]>> state = new HashMap<>();
      TreeMap<String, byte[]> keys = new TreeMap<>();
      for (long n = 1; n < height; n++) {
        assertThat(ledger.transactionLocation("tx" + n)).contains(new TxLocation(n, 0));
        CrashChild.writesOf(n).forEach((k, v) -> {
          if (v == null) {
            keys.remove(k);
          } else {
            keys.put(k, v.getBytes(StandardCharsets.UTF_8));
          }
        });
      }
      state.put("cc", keys);
      byte[] expected = ReferenceBucketTree.hash(state, 10_009, 10);
      assertThat(ledger.committedStateHash()).isEqualTo(expected);
      assertThat(ledger.block(height - 1).orElseThrow().getStateHash().toByteArray()).isEqualTo(expected);
    }
  }
}
