package org.jpeer.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShimOptionsTest {

  @Test
  void takesTheCommandLineThePeerGivesJavaChaincode() {
    ShimOptions o = ShimOptions.parse(new String[] {"-a", "10.0.0.1:7051", "-i", "abc", " -s"},
        Map.of("CORE_PEER_ADDRESS", "ignored:1", "CORE_CHAINCODE_ID_NAME", "ignored"));
    assertThat(o.peerAddress()).isEqualTo("10.0.0.1:7051");
    assertThat(o.chaincodeName()).isEqualTo("abc");
    assertThat(o.tlsEnabled()).isFalse();
  }

  @Test
  void takesTheGoShimsFlagAndTheEnvironment() {
    ShimOptions o = ShimOptions.parse(new String[] {"-peer.address=h:1"},
        Map.of("CORE_CHAINCODE_ID_NAME", "mycc"));
    assertThat(o.peerAddress()).isEqualTo("h:1");
    assertThat(o.chaincodeName()).isEqualTo("mycc");

    ShimOptions env = ShimOptions.parse(new String[0],
        Map.of("CORE_PEER_ADDRESS", "peer:7051", "CORE_CHAINCODE_ID_NAME", "mycc"));
    assertThat(env.peerAddress()).isEqualTo("peer:7051");
  }

  @Test
  void defaultsToTheJavaShimsAddress() {
    assertThat(ShimOptions.parse(new String[0], Map.of("CORE_CHAINCODE_ID_NAME", "x"))
        .peerAddress()).isEqualTo("127.0.0.1:7051");
  }

  @Test
  void readsTlsSettings() {
    ShimOptions o = ShimOptions.parse(new String[0], Map.of("CORE_CHAINCODE_ID_NAME", "x",
        "CORE_PEER_TLS_ENABLED", "true", "CORE_PEER_TLS_CERT_FILE", "/certs/peer.pem",
        "CORE_PEER_TLS_SERVERHOSTOVERRIDE", "peer0"));
    assertThat(o.tlsEnabled()).isTrue();
    assertThat(o.tlsRootCertFile()).isEqualTo("/certs/peer.pem");
    assertThat(o.tlsServerHostOverride()).isEqualTo("peer0");
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> ShimOptions.parse(new String[0], Map.of()))
        .hasMessage("no chaincode name: set CORE_CHAINCODE_ID_NAME or pass -i <name>");
    assertThatThrownBy(() -> ShimOptions.parse(new String[] {"-i"}, Map.of()))
        .hasMessage("argument -i needs a value");
    assertThatThrownBy(() -> ShimOptions.parse(new String[] {"--bogus"}, Map.of()))
        .hasMessageStartingWith("unknown argument '--bogus'");
    assertThatThrownBy(() -> ShimOptions.parse(new String[0],
        Map.of("CORE_CHAINCODE_ID_NAME", "x", "CORE_PEER_TLS_ENABLED", "true")))
        .hasMessage("CORE_PEER_TLS_ENABLED is true but CORE_PEER_TLS_CERT_FILE is not set");
  }

  @Test
  void dialsForThreeSecondsAsTheOriginalUnlessTheLaunchingPeerSaysLonger() {
    assertThat(ShimOptions.parse(new String[0], Map.of("CORE_CHAINCODE_ID_NAME", "x")).dialTimeoutMillis())
        .isEqualTo(3000);
    assertThat(ShimOptions.parse(new String[0], Map.of("CORE_CHAINCODE_ID_NAME", "x",
        "CORE_CHAINCODE_DIALTIMEOUT", "300000")).dialTimeoutMillis()).isEqualTo(300_000);
    assertThatThrownBy(() -> ShimOptions.parse(new String[0], Map.of("CORE_CHAINCODE_ID_NAME", "x",
        "CORE_CHAINCODE_DIALTIMEOUT", "5s")))
        .hasMessage("CORE_CHAINCODE_DIALTIMEOUT must be a positive number of milliseconds; got '5s'");
  }
}
