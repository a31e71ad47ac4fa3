package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.NonHashData;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.protos.PeersMessage;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {
  private static ByteString b64(String s) {
    return ByteString.copyFrom(Base64.getDecoder().decode(s));
  }

  private static Timestamp ts(long seconds, int nanos) {
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  /** Block 2 of the reference run (rest-api.md §3.1), byte for byte. */
  static Block referenceBlock2() {
    return Block.newBuilder()
        .addTransactions(Transaction.newBuilder()
            .setType(Transaction.Type.CHAINCODE_DEPLOY)
            .setChaincodeID(b64("EgRteWNj"))
            .setPayload(b64("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw"))
            .setTxid("mycc")
            .setTimestamp(ts(1795479820L, 465747489)))
        .setStateHash(b64("LHK/jDPIpHT/qgabalz5xgqEktm7+xPgbYw8E/jnwNuFPuoiGhh8TPTULjdHI99WvaPSCKdaSRzz/+2LzY4Rfw=="))
        .setPreviousBlockHash(b64("7XxyyVPFzmnnF8xLfuckKaqUpV8MP2fuP73O+krEsgOL9+O4MTx5PjNskw9LiTOuolD4ZHkYfawFJHgZc9uX2g=="))
        .setNonHashData(NonHashData.newBuilder()
            .setLocalLedgerCommitTimestamp(ts(1795479821L, 469133411))
            .addChaincodeEvents(ChaincodeEvent.getDefaultInstance()))
        .build();
  }

  static final String REFERENCE_BLOCK2_JSON =
      "{\"transactions\":[{\"type\":1,\"chaincodeID\":\"EgRteWNj\","
          + "\"payload\":\"CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw\",\"txid\":\"mycc\","
          + "\"timestamp\":{\"seconds\":1795479820,\"nanos\":465747489}}],"
          + "\"stateHash\":\"LHK/jDPIpHT/qgabalz5xgqEktm7+xPgbYw8E/jnwNuFPuoiGhh8TPTULjdHI99WvaPSCKdaSRzz/+2LzY4Rfw==\","
          + "\"previousBlockHash\":\"7XxyyVPFzmnnF8xLfuckKaqUpV8MP2fuP73O+krEsgOL9+O4MTx5PjNskw9LiTOuolD4ZHkYfawFJHgZc9uX2g==\","
          + "\"nonHashData\":{\"localLedgerCommitTimestamp\":{\"seconds\":1795479821,\"nanos\":469133411},"
          + "\"chaincodeEvents\":[{}]}}";

  @Test
  void rendersTheReferenceBlockExactly() {
    assertThat(ProtoJson.render(referenceBlock2())).isEqualTo(REFERENCE_BLOCK2_JSON);
  }

  @Test
  void genesisBlockShowsOnlyItsNonHashData() {
    Block genesis = Block.newBuilder()
        .setNonHashData(NonHashData.newBuilder().setLocalLedgerCommitTimestamp(ts(1795479800L, 0)))
        .build();
    assertThat(ProtoJson.render(genesis))
        .isEqualTo("{\"nonHashData\":{\"localLedgerCommitTimestamp\":{\"seconds\":1795479800}}}");
  }

  @Test
  void blockchainInfoAndPeers() {
    BlockchainInfo info = BlockchainInfo.newBuilder().setHeight(1).setCurrentBlockHash(ByteString.copyFrom(new byte[] {1, 2, -1})).build();
    assertThat(ProtoJson.render(info)).isEqualTo("{\"height\":1,\"currentBlockHash\":\"AQL/\"}");
    assertThat(ProtoJson.render(BlockchainInfo.newBuilder().setHeight(-1L).build()))
        .isEqualTo("{\"height\":18446744073709551615}");

    PeersMessage peers = PeersMessage.newBuilder()
        .addPeers(PeerEndpoint.newBuilder()
            .setID(PeerID.newBuilder().setName("vp0"))
            .setAddress("127.0.0.1:7051")
            .setType(PeerEndpoint.Type.VALIDATOR))
        .build();
    assertThat(ProtoJson.render(peers))
        .isEqualTo("{\"peers\":[{\"ID\":{\"name\":\"vp0\"},\"address\":\"127.0.0.1:7051\",\"type\":1}]}");
  }

  @Test
  void stringsAreEscapedAsGoDoes() {
    assertThat(GoJson.quote("a\"b\\c\n\r\t\u0001<>&\u2028\u2029é😀"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029é😀\"");
    assertThat(GoJson.quote("x\ud800y")).isEqualTo("\"x\ufffdy\"");
  }

  @Test
  void blockReadsDropDeployCodePackagesOnly() {
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
        .setChaincodeSpec(org.jpeer.protos.ChaincodeSpec.newBuilder().setTypeValue(4))
        .setCodePackage(ByteString.copyFromUtf8("a big tar.gz"))
        .build();
    Block block = Block.newBuilder()
        .addTransactions(Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY).setPayload(cds.toByteString()))
        .addTransactions(Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_INVOKE).setPayload(ByteString.copyFromUtf8("x")))
        .build();

    Block shown = org.jpeer.ledger.Blocks.withoutCodePackages(block);

    assertThat(shown.getTransactions(0).getPayload()).isEqualTo(cds.toBuilder().clearCodePackage().build().toByteString());
    assertThat(shown.getTransactions(1)).isEqualTo(block.getTransactions(1));
    Block reference = referenceBlock2();
    assertThat(org.jpeer.ledger.Blocks.withoutCodePackages(reference)).isSameAs(reference);
  }
}
