package org.jpeer.protos;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Pins serialized bytes to what the Fabric v0.6 peer puts on the wire. */
class WireGoldenVectorsTest {

  private static String b64(com.google.protobuf.MessageLite m) {
    return Base64.getEncoder().encodeToString(m.toByteArray());
  }

  @Test
  void chaincodeIdWithNameOnly() {
    assertThat(b64(ChaincodeID.newBuilder().setName("mycc").build())).isEqualTo("EgRteWNj");
  }

  @Test
  void example02DeployPayload() {
    ChaincodeInput ctor = ChaincodeInput.newBuilder()
        .addArgs(ByteString.copyFromUtf8("init"))
        .addArgs(ByteString.copyFromUtf8("a"))
        .addArgs(ByteString.copyFromUtf8("100"))
        .addArgs(ByteString.copyFromUtf8("b"))
        .addArgs(ByteString.copyFromUtf8("200"))
        .build();
    ChaincodeSpec spec = ChaincodeSpec.newBuilder()
        .setType(ChaincodeSpec.Type.GOLANG)
        .setChaincodeID(ChaincodeID.newBuilder().setName("mycc"))
        .setCtorMsg(ctor)
        .build();
    ChaincodeDeploymentSpec deploy = ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec).build();
    assertThat(b64(deploy)).isEqualTo("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw");
  }

  @Test
  void setButEmptySubMessageIsAZeroLengthRecord() {
    Transaction tx = Transaction.newBuilder().setTimestamp(com.google.protobuf.Timestamp.getDefaultInstance()).build();
    assertThat(tx.toByteArray()).containsExactly(0x32, 0x00);
  }

  @Test
  void genesisBlockWithoutNonHashDataIsEmpty() {
    assertThat(Block.getDefaultInstance().toByteArray()).isEmpty();
  }

  @Test
  void enumNumbersKeepTheOriginalGaps() {
    assertThat(ChaincodeSpec.Type.CAR.getNumber()).isEqualTo(3);
    assertThat(ChaincodeSpec.Type.JAVA.getNumber()).isEqualTo(4);
    assertThat(Message.Type.SYNC_GET_BLOCKS.getNumber()).isEqualTo(11);
    assertThat(Message.Type.CONSENSUS.getNumber()).isEqualTo(21);
    assertThat(ChaincodeMessage.Type.KEEPALIVE.getNumber()).isEqualTo(20);
    assertThat(Response.StatusCode.FAILURE.getNumber()).isEqualTo(500);
  }

  @Test
  void viewChangeCSkipsFieldTwo() {
    org.jpeer.protos.pbft.ViewChange.C c = org.jpeer.protos.pbft.ViewChange.C.newBuilder()
        .setSequenceNumber(1).setId("x").build();
    // field 1 varint 1, field 3 (tag 0x1a) length 1 "x"
    assertThat(c.toByteArray()).containsExactly(0x08, 0x01, 0x1a, 0x01, 'x');
  }
}
