package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.examples.ExampleJars.jar;

import java.util.Map;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An example jar started by hand with {@code java -jar} against a dev-mode peer. */
class DevModeJarIT {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void example02StartedByHandIsDeployedByNameAndEndsWithThePeer() throws Exception {
    ChaincodeHarness peer = ChaincodeHarness.devMode(kit.dir());
    ChildProcess chaincode;
    try {
      chaincode = kit.own(peer.startJar(jar("example02"), "mycc"));
      ChaincodeDeploymentSpec cds = peer.support().prepareDeploy(ChaincodeHarness.spec(ChaincodeSpec.Type.JAVA,
          ChaincodeID.newBuilder().setName("mycc").build(), "init", "a", "100", "b", "200"));
      assertThat(cds.getCodePackage().isEmpty()).as("dev mode packages nothing").isTrue();
      assertThat(peer.deploy("mycc", "init", "a", "100", "b", "200")).isEqualTo("mycc");

      peer.invoke("mycc", "invoke", "a", "b", "10");
      assertThat(peer.query("mycc", "query", "a")).isEqualTo("90");
      assertThatThrownBy(() -> peer.query("other", "query", "a"))
          .hasMessage("Failed to launch chaincode spec(Could not get deployment "
              + "transaction for other - LedgerError - ResourceNotFound: ledger: resource not found)");
    } finally {
      peer.close();
    }
    // the peer is gone: the chaincode's stream closed, so it exits on its own
    assertThat(chaincode.awaitExit()).as(chaincode.output()).isZero();
    assertThat(chaincode.stdout() + chaincode.stderr()).contains("Aval = 90, Bval = 210");
  }

  @Test
  void withoutANameTheJarExplainsWhatItNeeds() {
    ChildProcess chaincode = kit.javaJar("map", jar("map"), Map.of());
    assertThat(chaincode.awaitExit()).as(chaincode.output()).isEqualTo(2);
    assertThat(chaincode.stderr()).contains("no chaincode name: set CORE_CHAINCODE_ID_NAME or pass -i <name>");
  }

  @Test
  void withNoPeerToDialTheJarGivesUpAfterTheDialTimeout() {
    ChildProcess chaincode = kit.javaJar("map", jar("map"),
        Map.of("CORE_CHAINCODE_ID_NAME", "m", "CORE_PEER_ADDRESS", "127.0.0.1:1"));
    assertThat(chaincode.awaitExit()).as(chaincode.output()).isEqualTo(1);
    assertThat(chaincode.stderr()).contains("cannot connect to the peer at 127.0.0.1:1 within 3000 ms");
  }
}
