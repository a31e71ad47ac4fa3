package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jpeer.crypto.Hashes;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vectors from the original (ledger.md §1, §2.4, §3, §7.3). */
class GoldenVectorsTest {
  private static final String H_EMPTY =
      "RrndKwuojRMjOz/rdD7rJD/NUupiuBuCtQwnZG7Vdi/XXcTd2MDyAMsFAZ1ntZL2/IIcSUeatIZAKS6ss7fEvg==";

  @TempDir Path dir;

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shake256OfNothing() {
    assertThat(b64(Hashes.shake256(new byte[0]))).isEqualTo(H_EMPTY);
  }

  @Test
  void genesisBlockAndBlockchainInfo() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      assertThat(ledger.height()).isEqualTo(1);
      Block genesis = ledger.block(0).orElseThrow();
      assertThat(b64(Blocks.hash(genesis))).isEqualTo(H_EMPTY);
      assertThat(genesis.getNonHashData().hasLocalLedgerCommitTimestamp()).isTrue();
      assertThat(genesis.getNonHashData().getChaincodeEventsCount()).isZero();
      assertThat(b64(ledger.blockchainInfo().toByteArray()))
          .isEqualTo("CAESQEa53SsLqI0TIzs/63Q+6yQ/zVLqYrgbgrUMJ2Ru1XYv113E3djA8gDLBQGdZ7WS9vyCHElHmrSGQCkurLO3xL4=");
    }
  }

  @Test
  void firstBlocksOfTheOriginalNoopsPeer() {
    try (PeerLedger ledger = Ledgers.open(dir, LedgerOptions.defaults())) {
      Block one;
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState failed = batch.beginTx("failing-invoke");
        failed.put("mycc", "a", utf8("1"));
        failed.discard();
        one = batch.commit(List.of(), new byte[0], List.of(org.jpeer.protos.ChaincodeEvent.getDefaultInstance()),
            List.of(new FailedTx(Transaction.newBuilder().setTxid("failing-invoke").build(), "chaincode mycc not found")));
      }
      assertThat(b64(Blocks.hash(one)))
          .isEqualTo("7XxyyVPFzmnnF8xLfuckKaqUpV8MP2fuP73O+krEsgOL9+O4MTx5PjNskw9LiTOuolD4ZHkYfawFJHgZc9uX2g==");
      assertThat(ledger.failure("failing-invoke")).contains(new TxFailure("failing-invoke", 1, "chaincode mycc not found"));

      Transaction deploy = Transaction.newBuilder()
          .setTypeValue(1)
          .setChaincodeID(ByteString.copyFrom(Base64.getDecoder().decode("EgRteWNj")))
          .setPayload(ByteString.copyFrom(Base64.getDecoder().decode("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw")))
          .setTxid("mycc")
          .setTimestamp(Timestamp.newBuilder().setSeconds(1795479820).setNanos(465747489))
          .build();
      Block two;
      try (LedgerBatch batch = ledger.beginBatch()) {
        TxState tx = batch.beginTx("mycc");
        tx.put("mycc", "a", utf8("100"));
        tx.put("mycc", "b", utf8("200"));
        tx.commit();
        two = batch.commit(List.of(deploy), null, List.of(), List.of());
      }
      assertThat(b64(two.getStateHash().toByteArray()))
          .isEqualTo("LHK/jDPIpHT/qgabalz5xgqEktm7+xPgbYw8E/jnwNuFPuoiGhh8TPTULjdHI99WvaPSCKdaSRzz/+2LzY4Rfw==");
      assertThat(b64(Blocks.hash(two)))
          .isEqualTo("ZxFOAJn2i8d2oMHW9CA6wsMsLMINvOMotDMTvsNq5OsVUYcruhOgrarDTiT8sjEYjEfOeoYgaxrfut119msNjg==");
      assertThat(ledger.transaction("mycc")).contains(deploy);
      assertThat(ledger.transactionLocation("mycc")).contains(new TxLocation(2, 0));
      assertThat(b64(ledger.blockchainInfo().getCurrentBlockHash().toByteArray()))
          .isEqualTo(b64(Blocks.hash(two)));
      assertThat(ledger.blockchainInfo().getPreviousBlockHash()).isEqualTo(two.getPreviousBlockHash());
    }
  }

  private static String stateHash(Path dir, LedgerOptions options, java.util.function.Consumer<TxState> writes) {
    try (PeerLedger ledger = Ledgers.open(dir, options); LedgerBatch batch = ledger.beginBatch()) {
      TxState tx = batch.beginTx("t");
      writes.accept(tx);
      tx.commit();
      return b64(batch.previewStateHash());
    }
  }

  private static void ab(TxState tx, String a, String b) {
    tx.put("mycc", "a", utf8(a));
    tx.put("mycc", "b", utf8(b));
  }

  private static void many(TxState tx) {
    tx.put("mycc", "a", utf8("90"));
    for (int i = 0; i < 50; i++) {
      tx.put("cc1", "k" + i, utf8("v" + i));
      tx.put("cc2", "k" + i, utf8("w" + i));
    }
  }

  @Test
  void bucketTreeVectorsWithCoreYamlConfiguration() {
    LedgerOptions o = LedgerOptions.defaults();
    assertThat(stateHash(dir.resolve("1"), o, tx -> ab(tx, "100", "200")))
        .isEqualTo("LHK/jDPIpHT/qgabalz5xgqEktm7+xPgbYw8E/jnwNuFPuoiGhh8TPTULjdHI99WvaPSCKdaSRzz/+2LzY4Rfw==");
    assertThat(stateHash(dir.resolve("2"), o, tx -> ab(tx, "90", "210")))
        .isEqualTo("moD1yNA1yD3Oe5562dswKk1JeicX8tTCI7762igi07JU6PxTL/xueNmTJxxZD8sIrT5Tle34JaimBd5b78rp9A==");
    assertThat(stateHash(dir.resolve("3"), o, GoldenVectorsTest::many))
        .isEqualTo("9yNOg5sXI5tzyJkoygRzIE14UKhXkvo9+fAju/L1PxaXXLtAFzrvlW7tQWC1ENolo9YvSTgiJyOe0SlnBT7Beg==");
  }

  @Test
  void bucketTreeVectorsWithCodeDefaults() {
    LedgerOptions o = LedgerOptions.codeDefaults();
    assertThat(stateHash(dir.resolve("1"), o, tx -> ab(tx, "100", "200")))
        .isEqualTo("YjBQg/s+xWfjgjLK+aLgZCLtJ5d3Nxw9dCoPvBSkYJJ1VB7BIv79Pgpv7c7pnYpiJPQCcnxhGV1JnpH913Zk9w==");
    assertThat(stateHash(dir.resolve("2"), o, tx -> ab(tx, "90", "210")))
        .isEqualTo("jm/mtE3BDMAr/E6P+vaf0a9RMMDi3tpHnXC97aA6IQdiGFyoARvB29fmkOC+lTSmO0lwuBOdmeHXhnHpeyOJ2Q==");
    assertThat(stateHash(dir.resolve("3"), o, GoldenVectorsTest::many))
        .isEqualTo("CqS9mKietZYzxpwEB/TV1Y3+VaRlGvSsMAuRiJP4AasFicYvKGCDkChS+FF3/sbkPEBDfYtQs4yxYyR3UM/byQ==");
  }

  @Test
  void bucketTreeVectorWithThreeBucketsAndGroupingTwo() {
    assertThat(stateHash(dir, LedgerOptions.defaults().withBuckets(3, 2), GoldenVectorsTest::many))
        .isEqualTo("f0zpi5OtLHHDkRPu5Yzfw/3F0aGaw0hxVsm0zvUu01/XSobuQSrMRHgPhfSEQ69OlNxkI/q5/QWG9vxo9KWJOg==");
  }

  @Test
  void emptyStateHasAnEmptyHashAndRawNeverHashes() {
    try (PeerLedger ledger = Ledgers.open(dir.resolve("bt"), LedgerOptions.defaults())) {
      assertThat(ledger.committedStateHash()).isEmpty();
    }
    assertThat(stateHash(dir.resolve("raw"), LedgerOptions.defaults().withDataStructure(
        LedgerOptions.StateStructure.RAW), tx -> ab(tx, "100", "200"))).isEmpty();
  }
}
