package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket-node cache changes only speed: without a cache, with one too small for the tree
 * (it stops being complete midway, so absent nodes must be read again) and with one that holds
 * every node (absent nodes are known empty without a read), the state hashes are the same,
 * across a reopen too.
 */
class BucketCacheTest {

  @TempDir Path dir;

  @Test
  void stateHashesDoNotDependOnTheCacheSize() {
    List<String> none = hashes(dir.resolve("none"), 0);
    List<String> small = hashes(dir.resolve("small"), 1);
    List<String> large = hashes(dir.resolve("large"), 100);
    assertThat(none).hasSize(12).doesNotHaveDuplicates();
    assertThat(small).isEqualTo(none);
    assertThat(large).isEqualTo(none);
  }

  private static List<String> hashes(Path path, int cacheMb) {
    LedgerOptions options = LedgerOptions.defaults().withBuckets(10_009, 5).withBucketCacheSizeMb(cacheMb);
    SplittableRandom random = new SplittableRandom(42);
    List<String> out = new ArrayList<>();
    try (PeerLedger ledger = Ledgers.open(path, options)) {
      for (int block = 0; block < 8; block++) {
        out.add(commitBlock(ledger, random, block));
      }
    }
    // reopening reloads the cache from the stored nodes
    try (PeerLedger ledger = Ledgers.open(path, options)) {
      for (int block = 8; block < 12; block++) {
        out.add(commitBlock(ledger, random, block));
      }
    }
    return out;
  }

  private static String commitBlock(PeerLedger ledger, SplittableRandom random, int block) {
    try (LedgerBatch batch = ledger.beginBatch()) {
      TxState tx = batch.beginTx("tx" + block);
      for (int i = 0; i < 600; i++) {
        String key = "k" + random.nextInt(4_000);
        // deletes empty buckets and nodes again, so absent nodes reappear
        if (block > 2 && random.nextInt(4) == 0) {
          tx.delete("cc", key);
        } else {
          tx.put("cc", key, ("v" + block + "/" + i).getBytes(StandardCharsets.UTF_8));
        }
      }
      tx.commit();
      batch.commit(List.of(), new byte[0], List.of(), List.of());
    }
    return java.util.Base64.getEncoder().encodeToString(ledger.committedStateHash());
  }
}
