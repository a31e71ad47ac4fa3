package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged copies of a good ledger are refused with a clear error, never served and never a JVM crash. */
class DamagedLedgerTest {
  @TempDir Path dir;
  private Path good;

  @BeforeEach
  void makeGoodLedger() {
    good = dir.resolve("good");
    try (PeerLedger ledger = Ledgers.open(good, LedgerOptions.defaults())) {
      for (int n = 1; n <= 20; n++) {
        try (LedgerBatch batch = ledger.beginBatch()) {
          TxState tx = batch.beginTx("tx" + n);
          for (int k = 0; k < 50; k++) {
            tx.put("cc", "key" + n + "." + k, ("value" + n + "." + k).repeat(5).getBytes(StandardCharsets.UTF_8));
          }
          tx.commit();
          batch.commit(List.of(Transaction.newBuilder().setTxid("tx" + n).build()), null, List.of(), List.of());
        }
      }
    }
  }

  private Path copy(String name) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(good)) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  private static List<Path> files(Path db, String suffixOrPrefix) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffixOrPrefix)
          || f.getFileName().toString().startsWith(suffixOrPrefix)).sorted().toList();
    }
  }

  private static Path largest(List<Path> files) throws IOException {
    Path best = files.get(0);
    for (Path f : files) {
      if (Files.size(f) > Files.size(best)) {
        best = f;
      }
    }
    return best;
  }

  private static void truncate(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
  }

  private static void garble(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Random random = new Random(42);
    for (int i = bytes.length / 3; i < 2 * bytes.length / 3; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    Files.write(file, bytes);
  }

  private static void assertRefused(Path db) throws IOException {
    java.util.Map<String, Long> before = listing(db);
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults()).close())
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(db.toString())
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("damaged", "checksum"));
    // a refused ledger is left as it was, for whoever repairs it (RocksDB's LOG files aside)
    assertThat(listing(db)).isEqualTo(before);
  }

  private static java.util.Map<String, Long> listing(Path db) throws IOException {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(db)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.startsWith("LOG") && !name.equals("LOCK")) {
          out.put(name, Files.size(f));
        }
      }
    }
    return out;
  }

  @Test
  void theUntouchedCopyOpens() throws IOException {
    try (PeerLedger ledger = Ledgers.open(copy("copy"), LedgerOptions.defaults())) {
      assertThat(ledger.height()).isEqualTo(21);
    }
  }

  @Test
  void truncatedSstIsRefused() throws IOException {
    Path db = copy("truncated-sst");
    truncate(largest(files(db, ".sst")));
    assertRefused(db);
  }

  @Test
  void garbledSstIsRefused() throws IOException {
    Path db = copy("garbled-sst");
    garble(largest(files(db, ".sst")));
    assertRefused(db);
  }

  @Test
  void truncatedManifestIsRefused() throws IOException {
    Path db = copy("truncated-manifest");
    truncate(files(db, "MANIFEST-").get(0));
    assertRefused(db);
    // refused again on the next attempt: the first refusal changed nothing
    assertRefused(db);
  }

  @Test
  void garbledManifestIsRefused() throws IOException {
    Path db = copy("garbled-manifest");
    garble(files(db, "MANIFEST-").get(0));
    assertRefused(db);
  }

  @Test
  void garbledHeightMarkIsRefused() throws IOException {
    Path db = copy("garbled-mark");
    Files.writeString(db.resolve(HeightMark.FILE), "twenty");
    assertRefused(db);
  }

  @Test
  void garbledCurrentIsRefused() throws IOException {
    Path db = copy("garbled-current");
    Files.writeString(db.resolve("CURRENT"), "MANIFEST-\u0007\u0001garbage\n");
    assertRefused(db);
  }

  @Test
  void emptyCurrentIsRefused() throws IOException {
    Path db = copy("empty-current");
    Files.write(db.resolve("CURRENT"), new byte[0]);
    assertRefused(db);
  }

  /** Rewrites raw records with RocksDB directly, as a bug or a bad restore could. */
  private void tamper(Path db, java.util.function.Consumer<Store> change) {
    try (Store store = Store.open(db)) {
      change.accept(store);
    }
  }

  @Test
  void blockCountBeyondTheLastBlockIsRefused() throws IOException {
    Path db = copy("count-high");
    tamper(db, s -> put(s, s.blockchain, RocksLedger.BLOCK_COUNT_KEY, Codec.u64be(22)));
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("the last block 21 is missing");
  }

  @Test
  void blockCountBehindTheBlocksIsRefused() throws IOException {
    Path db = copy("count-low");
    tamper(db, s -> put(s, s.blockchain, RocksLedger.BLOCK_COUNT_KEY, Codec.u64be(20)));
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("block 20 is stored beyond the recorded height");
  }

  @Test
  void aBrokenChainIsRefused() throws IOException {
    Path db = copy("broken-chain");
    tamper(db, s -> put(s, s.blockchain, Codec.u64be(19), org.jpeer.protos.Block.newBuilder()
        .setConsensusMetadata(com.google.protobuf.ByteString.copyFromUtf8("other")).build().toByteArray()));
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("block 20 does not chain to block 19");
  }

  @Test
  void stateThatDoesNotMatchTheLastBlockIsRefused() throws IOException {
    Path db = copy("state");
    tamper(db, s -> put(s, s.state, new byte[] {0, 0, 1}, new byte[] {1, 7, 0, 0, 0, 0}));
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("world state hash");
  }

  @Test
  void otherBucketConfigurationIsRefused() throws IOException {
    Path db = copy("config");
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.codeDefaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("created with state 'buckettree 1000003 5' but is opened with 'buckettree 10009 10'");
  }

  @Test
  void otherDataStructureIsRefused() throws IOException {
    Path db = copy("structure");
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.defaults().withDataStructure(
        LedgerOptions.StateStructure.RAW))).isInstanceOf(LedgerException.class)
        .hasMessageContaining("opened with 'raw'");
  }

  @Test
  void aMismatchedTreeIsRefusedEvenWithoutTheStructureRecord() throws IOException {
    Path db = copy("no-record");
    tamper(db, s -> {
      try {
        s.db.delete(s.indexes, RocksLedger.STATE_STRUCTURE_KEY);
      } catch (org.rocksdb.RocksDBException e) {
        throw new AssertionError(e);
      }
    });
    assertThatThrownBy(() -> Ledgers.open(db, LedgerOptions.codeDefaults())).isInstanceOf(LedgerException.class)
        .hasMessageContaining("maxGroupingAtEachLevel");
  }

  @Test
  void aGarbledBlockIsReportedWhenRead() throws IOException {
    Path db = copy("garbled-block");
    tamper(db, s -> put(s, s.blockchain, Codec.u64be(3), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
    try (PeerLedger ledger = Ledgers.open(db, LedgerOptions.defaults())) {
      assertThatThrownBy(() -> ledger.block(3)).isInstanceOf(LedgerException.class)
          .hasMessageContaining("Block 3").hasMessageContaining("damaged");
      assertThat(ledger.block(4)).isPresent();
    }
  }

  private static void put(Store s, org.rocksdb.ColumnFamilyHandle cf, byte[] key, byte[] value) {
    try {
      s.db.put(cf, key, value);
    } catch (org.rocksdb.RocksDBException e) {
      throw new AssertionError(e);
    }
  }
}
