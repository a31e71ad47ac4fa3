package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.Base64;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.Metadata;
import org.jpeer.protos.pbft.Request;
import org.jpeer.protos.pbft.RequestBatch;
import org.junit.jupiter.api.Test;

/** The identifiers PBFT puts on the wire, against the values the reference gives for Fabric v0.6. */
class DigestsTest {

  /** Genesis block hash (reference ledger.md §2.4). */
  static final String GENESIS_HASH =
      "RrndKwuojRMjOz/rdD7rJD/NUupiuBuCtQwnZG7Vdi/XXcTd2MDyAMsFAZ1ntZL2/IIcSUeatIZAKS6ss7fEvg==";
  /** Checkpoint 0 of a fresh network (reference consensus.md §5.10). */
  static final String FRESH_CHECKPOINT_0 =
      "CAESQEa53SsLqI0TIzs/63Q+6yQ/zVLqYrgbgrUMJ2Ru1XYv113E3djA8gDLBQGdZ7WS9vyCHElHmrSGQCkurLO3xL4=";

  @Test
  void checkpointIdOfAFreshChainIsTheOriginals() {
    BlockchainInfo genesis = BlockchainInfo.newBuilder().setHeight(1)
        .setCurrentBlockHash(ByteString.copyFrom(Base64.getDecoder().decode(GENESIS_HASH))).build();
    assertThat(Digests.checkpointId(genesis)).isEqualTo(FRESH_CHECKPOINT_0);
    assertThat(Digests.chainInfo(FRESH_CHECKPOINT_0)).contains(genesis);
    assertThat(Digests.chainInfo("not base64 !")).isEmpty();
  }

  @Test
  void batchDigestIsBase64OfShake256Over64Bytes() {
    RequestBatch batch = RequestBatch.newBuilder().addBatch(Request.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(1470000000).setNanos(5)).setPayload(ByteString.copyFromUtf8("tx"))
        .setReplicaId(2)).build();
    String digest = Digests.batchDigest(batch);
    assertThat(digest).hasSize(88).endsWith("==");
    assertThat(Base64.getDecoder().decode(digest)).isEqualTo(Digests.shake256(batch)).hasSize(64);
    // SHAKE256 of the empty input (FIPS 202 test vector), first 64 bytes
    assertThat(Digests.batchDigest(RequestBatch.getDefaultInstance())).isEqualTo(Base64.getEncoder().encodeToString(
        hex("46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be")));
  }

  @Test
  void metadataCarriesTheSequenceNumber() throws Exception {
    assertThat(Metadata.parseFrom(Digests.metadata(42)).getSeqNo()).isEqualTo(42);
    assertThat(Digests.seqNo(Digests.metadata(42))).isEqualTo(42);
    assertThat(Digests.seqNo(new byte[0])).isZero();
    assertThat(Digests.seqNo(null)).isZero();
    assertThat(Digests.seqNo(new byte[] {(byte) 0xff})).isZero();
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
