package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of batches (commit and rollback mixed, transactions kept and discarded) against a
 * plain in-memory model. Reproduce a failure with {@code -Dledger.seed=<seed printed in the failure>}.
 */
class LedgerPropertyTest {
  private static final String[] CHAINCODES = {"mycc", "cc1", "é"};

  @TempDir Path dir;

  record Config(String name, LedgerOptions options) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Config> configs() {
    LedgerOptions base = LedgerOptions.defaults().withDeltaHistorySize(1000);
    return List.of(
        new Config("buckettree 1000003/5", base),
        new Config("buckettree 37/3 (crowded buckets)", base.withBuckets(37, 3)),
        new Config("buckettree 37/3 without cache", base.withBuckets(37, 3).withBucketCacheSizeMb(0)),
        new Config("buckettree 1/2 (single bucket)", base.withBuckets(1, 2)),
        new Config("raw", base.withDataStructure(LedgerOptions.StateStructure.RAW)));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void randomBatchesMatchTheModel(Config config) {
    long seed = Long.getLong("ledger.seed", System.nanoTime());
    try {
      run(config.options(), new Random(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("Failed with seed " + seed + " (" + config + "); rerun with -Dledger.seed=" + seed, e);
    }
  }

  private void run(LedgerOptions options, Random random) {
    boolean tree = options.dataStructure() == LedgerOptions.StateStructure.BUCKETTREE;
    Map<String, TreeMap<String, byte[]>> model = new TreeMap<>();
    List<byte[]> hashByBlock = new ArrayList<>();
    hashByBlock.add(new byte[0]);
    List<Map<String, TreeMap<String, byte[]>>> modelByBlock = new ArrayList<>();
    modelByBlock.add(copy(model));
    PeerLedger ledger = Ledgers.open(dir, options);
    try {
      for (int round = 0; round < 60; round++) {
        Map<String, TreeMap<String, byte[]>> batchModel = copy(model);
        List<Transaction> kept = new ArrayList<>();
        LedgerBatch batch = ledger.beginBatch();
        int txs = 1 + random.nextInt(5);
        for (int t = 0; t < txs; t++) {
          String txid = "r" + round + "t" + t;
          Map<String, TreeMap<String, byte[]>> txModel = copy(batchModel);
          TxState tx = batch.beginTx(txid);
          // now and then a big transaction, so that hashing splits work across two threads
          int ops = random.nextInt(10) == 0 ? 150 : 1 + random.nextInt(12);
          for (int o = 0; o < ops; o++) {
            String cc = CHAINCODES[random.nextInt(CHAINCODES.length)];
            String key = "k" + random.nextInt(ops > 12 ? 400 : 25);
            int op = random.nextInt(10);
            if (op < 6) {
              byte[] value = ("v" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
              tx.put(cc, key, value);
              txModel.computeIfAbsent(cc, c -> new TreeMap<>(KeyOrder.INSTANCE)).put(key, value);
            } else if (op < 8) {
              tx.delete(cc, key);
              txModel.computeIfAbsent(cc, c -> new TreeMap<>(KeyOrder.INSTANCE)).remove(key);
            } else if (op == 8) {
              byte[] expected = txModel.getOrDefault(cc, new TreeMap<>()).get(key);
              assertThat(tx.get(cc, key)).isEqualTo(expected);
            } else {
              String a = "k" + random.nextInt(25);
              String b = random.nextInt(4) == 0 ? "" : "k" + random.nextInt(25);
              assertThat(scan(tx, cc, a, b)).isEqualTo(modelScan(txModel, cc, a, b));
            }
          }
          if (random.nextInt(4) == 0) {
            tx.discard();
          } else {
            tx.commit();
            batchModel = txModel;
            kept.add(Transaction.newBuilder().setTxid(txid).build());
          }
        }
        byte[] expectedHash = tree ? ReferenceBucketTree.hash(batchModel, options.numBuckets(),
            options.maxGroupingAtEachLevel()) : new byte[0];
        assertThat(batch.previewStateHash()).isEqualTo(expectedHash);
        if (random.nextInt(10) < 3) {
          batch.rollback();
        } else {
          batch.commit(kept, null, List.of(), List.of());
          model = batchModel;
          hashByBlock.add(expectedHash);
          modelByBlock.add(copy(model));
          assertThat(ledger.block(ledger.height() - 1).orElseThrow().getStateHash().toByteArray()).isEqualTo(expectedHash);
        }
        assertThat(ledger.committedStateHash()).isEqualTo(hashByBlock.get(hashByBlock.size() - 1));
        assertSameState(ledger, model);
        if (random.nextInt(5) == 0 && ledger.height() > 2) {
          // Back one block with the stored delta, check, and forward again.
          long last = ledger.height() - 1;
          StateDelta delta = ledger.stateDelta(last).orElseThrow();
          ledger.applyStateDelta(last - 1, delta.backwards());
          assertThat(ledger.committedStateHash()).isEqualTo(hashByBlock.get((int) last - 1));
          assertSameState(ledger, modelByBlock.get((int) last - 1));
          ledger.applyStateDelta(last, delta);
          assertThat(ledger.committedStateHash()).isEqualTo(hashByBlock.get((int) last));
          assertSameState(ledger, model);
        }
        if (random.nextInt(15) == 0) {
          ledger.close();
          ledger = Ledgers.open(dir, options);
        }
      }
      // Walk all the way back to the genesis state with the stored deltas.
      for (long n = ledger.height() - 1; n >= 1; n--) {
        ledger.applyStateDelta(n - 1, ledger.stateDelta(n).orElseThrow().backwards());
        assertThat(ledger.committedStateHash()).isEqualTo(hashByBlock.get((int) n - 1));
        assertSameState(ledger, modelByBlock.get((int) n - 1));
      }
      assertThat(ledger.committedStateHash()).isEmpty();
    } finally {
      ledger.close();
    }
  }

  private static void assertSameState(PeerLedger ledger, Map<String, TreeMap<String, byte[]>> expected) {
    for (String cc : CHAINCODES) {
      assertThat(scan(ledger.committedState(), cc, "", "")).isEqualTo(modelScan(expected, cc, "", ""));
    }
  }

  private static Map<String, TreeMap<String, byte[]>> copy(Map<String, TreeMap<String, byte[]>> m) {
    Map<String, TreeMap<String, byte[]>> out = new TreeMap<>();
    m.forEach((cc, keys) -> out.put(cc, new TreeMap<>(keys)));
    return out;
  }

  private static List<String> scan(StateReader reader, String cc, String start, String end) {
    List<String> out = new ArrayList<>();
    try (StateIterator it = reader.range(cc, start, end)) {
      it.forEachRemaining(e -> out.add(e.key() + "=" + new String(e.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static List<String> modelScan(Map<String, TreeMap<String, byte[]>> model, String cc, String start,
      String end) {
    List<String> out = new ArrayList<>();
    TreeMap<String, byte[]> keys = model.getOrDefault(cc, new TreeMap<>(KeyOrder.INSTANCE));
    keys.forEach((k, v) -> {
      if (KeyOrder.INSTANCE.compare(k, start) >= 0 && (end.isEmpty() || KeyOrder.INSTANCE.compare(k, end) <= 0)) {
        out.add(k + "=" + new String(v, StandardCharsets.UTF_8));
      }
    });
    return out;
  }

}
