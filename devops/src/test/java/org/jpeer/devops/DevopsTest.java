package org.jpeer.devops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import com.google.protobuf.ByteString;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

class DevopsTest {
  private static final Instant NOW = Instant.ofEpochSecond(1795479820L, 465747489);
  private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private final RecordingEngine engine = new RecordingEngine();
  private final Devops devops = new Devops(new DevModeChaincode(), engine, Clock.fixed(NOW, ZoneOffset.UTC));

  static ChaincodeSpec spec(String name, String... args) {
    ChaincodeInput.Builder ctor = ChaincodeInput.newBuilder();
    for (String a : args) {
      ctor.addArgs(ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder()
        .setType(ChaincodeSpec.Type.GOLANG)
        .setChaincodeID(ChaincodeID.newBuilder().setName(name))
        .setCtorMsg(ctor)
        .build();
  }

  static ChaincodeInvocationSpec invocation(String name, String... args) {
    return ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(name, args)).build();
  }

  private static String b64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  @Test
  void deployBuildsTheOriginalsTransaction() throws Exception {
    ChaincodeDeploymentSpec cds = devops.deploy(spec("mycc", "init", "a", "100", "b", "200"));

    assertThat(cds.getChaincodeSpec().getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(engine.submitted).hasSize(1);
    Transaction tx = engine.submitted.get(0);
    assertThat(tx.getType()).isEqualTo(Transaction.Type.CHAINCODE_DEPLOY);
    assertThat(tx.getTxid()).isEqualTo("mycc");
    // Bytes observed on the original in dev mode (chaincode.md §10).
    assertThat(b64(tx.getChaincodeID())).isEqualTo("EgRteWNj");
    assertThat(b64(tx.getPayload())).isEqualTo("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw");
    assertThat(tx.getTimestamp().getSeconds()).isEqualTo(NOW.getEpochSecond());
    assertThat(tx.getTimestamp().getNanos()).isEqualTo(NOW.getNano());
    assertThat(tx.toBuilder().clearType().clearTxid().clearChaincodeID().clearPayload().clearTimestamp().build())
        .isEqualTo(Transaction.getDefaultInstance());
  }

  @Test
  void deployFailureCarriesThePlatformsMessageAndSubmitsNothing() {
    ChaincodeSpec bad = spec("", "init").toBuilder().setChaincodeID(ChaincodeID.newBuilder().setPath("missing")).build();
    assertThatThrownBy(() -> devops.deploy(bad))
        .isInstanceOf(DevopsException.class)
        .hasMessage("Error getting chaincode package bytes: path missing does not exist");
    assertThatThrownBy(() -> devops.deploy(spec("", "init")))
        .isInstanceOf(DevopsException.class)
        .hasMessage("Chaincode name may not be blank.");
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void invokeBuildsTheOriginalsTransactionWithAFreshUuid() throws Exception {
    String txid = devops.invoke(invocation("mycc", "invoke", "a", "b", "10"));

    assertThat(txid).matches(UUID_V4);
    Transaction tx = engine.submitted.get(0);
    assertThat(tx.getType()).isEqualTo(Transaction.Type.CHAINCODE_INVOKE);
    assertThat(tx.getTxid()).isEqualTo(txid);
    assertThat(b64(tx.getChaincodeID())).isEqualTo("EgRteWNj");
    assertThat(b64(tx.getPayload())).isEqualTo("Ch4IARIGEgRteWNjGhIKBmludm9rZQoBYQoBYgoCMTA=");
    assertThat(tx.getTimestamp().getSeconds()).isEqualTo(NOW.getEpochSecond());

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(devops.invoke(invocation("mycc", "invoke", "a", "b", "10")));
    }
    assertThat(ids).hasSize(100);
  }

  @Test
  void invokeWithSha256IdIsTheHashOfTheDerCtor() throws Exception {
    ChaincodeInvocationSpec cis = invocation("mycc", "invoke", "a").toBuilder().setIdGenerationAlg("SHA256").build();

    String first = devops.invoke(cis);
    String second = devops.invoke(cis);

    // sha256(30 0d 30 0b 04 06 "invoke" 04 01 "a")
    assertThat(first).isEqualTo("f24746c0e024f7896a366a3273544759924c89ceffe0024d8cb94d79109ded48");
    assertThat(second).isEqualTo(first);
    assertThat(engine.submitted.get(0).getPayload()).isEqualTo(cis.toByteString());
  }

  @Test
  void derEncodingUsesLongFormLengths() {
    ChaincodeInput ctor = ChaincodeInput.newBuilder().addArgs(ByteString.copyFrom(new byte[200])).build();
    byte[] der = TxIds.derCtor(ctor);
    assertThat(HexFormat.of().formatHex(der, 0, 9)).isEqualTo("3081ce3081cb0481c8");
    assertThat(der).hasSize(9 + 200);
    assertThat(TxIds.derCtor(ChaincodeInput.getDefaultInstance())).containsExactly(0x30, 0x02, 0x30, 0x00);
  }

  @Test
  void unknownIdAlgorithmIsRefused() {
    ChaincodeInvocationSpec cis = invocation("mycc", "invoke").toBuilder().setIdGenerationAlg("SHA256base64").build();
    assertThatThrownBy(() -> devops.invoke(cis))
        .isInstanceOf(DevopsException.class)
        .hasMessage("Wrong ID generation algorithm was given: sha256base64");
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void invokeAndQueryNeedAName() {
    assertThatThrownBy(() -> devops.invoke(invocation("", "invoke")))
        .isInstanceOf(DevopsException.class)
        .hasMessage("name not given for invoke/query");
    assertThatThrownBy(() -> devops.query(invocation("", "query")))
        .isInstanceOf(DevopsException.class)
        .hasMessage("name not given for invoke/query");
    assertThat(engine.submitted).isEmpty();
    assertThat(engine.queried).isEmpty();
  }

  @Test
  void busyEngineIsReportedAndNothingIsKept() {
    engine.busy = true;
    assertThatThrownBy(() -> devops.invoke(invocation("mycc", "invoke", "a", "b", "1")))
        .isInstanceOf(EngineBusyException.class)
        .hasMessageContaining("queue full");
    assertThatThrownBy(() -> devops.deploy(spec("mycc", "init")))
        .isInstanceOf(EngineBusyException.class);
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void queryRunsAQueryTransactionAndReturnsTheAnswer() throws Exception {
    engine.answer = tx -> "90".getBytes();
    ChaincodeInvocationSpec cis = invocation("mycc", "query", "a").toBuilder().setIdGenerationAlg("sha256").build();

    assertThat(devops.query(cis)).isEqualTo("90".getBytes());

    Transaction tx = engine.queried.get(0);
    assertThat(tx.getType()).isEqualTo(Transaction.Type.CHAINCODE_QUERY);
    assertThat(tx.getTxid()).matches(UUID_V4);
    assertThat(tx.getPayload()).isEqualTo(cis.toByteString());
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void queryFailureGetsTheOriginalsErrorPrefix() {
    engine.answer = tx -> {
      throw new ChaincodeException("Transaction or query returned with failure: {\"Error\":\"Nil amount for zz\"}");
    };
    assertThatThrownBy(() -> devops.query(invocation("mycc", "query", "zz")))
        .isInstanceOf(DevopsException.class)
        .hasMessage("Error:Transaction or query returned with failure: {\"Error\":\"Nil amount for zz\"}");
  }
}
