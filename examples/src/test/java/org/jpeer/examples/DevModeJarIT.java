package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An example jar started by hand with {@code java -jar} against a dev-mode peer. */
class DevModeJarIT {
  @TempDir Path dir;
  Process chaincode;

  @AfterEach
  void stop() throws Exception {
    if (chaincode != null) {
      chaincode.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  Process startByHand(String jar, String name, String peerAddress) throws Exception {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder b = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        TestPeer.jar(jar).toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().put("CORE_CHAINCODE_ID_NAME", name);
    b.environment().put("CORE_PEER_ADDRESS", peerAddress);
    return b.start();
  }

  @Test
  void example02StartedByHandIsDeployedByNameAndEndsWithThePeer() throws Exception {
    Path logFile = dir.resolve("mycc.log");
    try (TestPeer peer = new TestPeer(dir, o -> o.withMode(ChaincodeOptions.Mode.DEV))) {
      String address = peer.options.peerAddress();
      chaincode = startByHand("example02", "mycc", address);
      Await.until("mycc registered", Duration.ofSeconds(30),
          () -> peer.support.registered().contains("mycc") || !chaincode.isAlive());
      assertThat(peer.support.registered()).contains("mycc");

      ChaincodeDeploymentSpec cds = peer.support.prepareDeploy(ChaincodeSpec.newBuilder()
          .setType(ChaincodeSpec.Type.JAVA).setChaincodeID(ChaincodeID.newBuilder().setName("mycc"))
          .setCtorMsg(TestPeer.input("init", "a", "100", "b", "200")).build());
      assertThat(cds.getCodePackage().isEmpty()).isTrue();
      Transaction deploy = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY)
          .setChaincodeID(cds.getChaincodeSpec().getChaincodeID().toByteString())
          .setPayload(cds.toByteString()).setTxid("mycc").setTimestamp(TestPeer.now()).build();
      assertThat(peer.commitBlock(List.of(deploy)).get(0).failure()).isNull();

      peer.invoke("mycc", "invoke", "a", "b", "10");
      assertThat(peer.query("mycc", "query", "a")).isEqualTo("90");
      assertThatThrownBy(() -> peer.query("other", "query", "a"))
          .hasMessageStartingWith("Failed to launch chaincode spec(Could not get deployment "
              + "transaction for other - LedgerError");
    }
    // the peer is gone: the chaincode's stream closed, so it exits on its own
    assertThat(chaincode.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(logFile)).contains("Aval = 90, Bval = 210");
  }

  @Test
  void withoutANameTheJarExplainsWhatItNeeds() throws Exception {
    ProcessBuilder b = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        TestPeer.jar("map").toAbsolutePath().toString()).redirectErrorStream(true);
    b.environment().remove("CORE_CHAINCODE_ID_NAME");
    chaincode = b.start();
    String out = new String(chaincode.getInputStream().readAllBytes());
    assertThat(chaincode.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(chaincode.exitValue()).isEqualTo(2);
    assertThat(out).contains("no chaincode name: set CORE_CHAINCODE_ID_NAME or pass -i <name>");
  }

  @Test
  void withNoPeerToDialTheJarGivesUpAfterTheDialTimeout() throws Exception {
    chaincode = startByHand("map", "m", "127.0.0.1:1");
    assertThat(chaincode.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(chaincode.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("m.log")))
        .contains("cannot connect to the peer at 127.0.0.1:1 within 3000 ms");
  }
}
