package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.TlsServerCredentials;
import java.io.File;
import java.net.URISyntaxException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jpeer.shim.Shim;
import org.jpeer.shim.ShimOptions;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shim over TLS: trusts CORE_PEER_TLS_CERT_FILE, checks the override host name. */
class TlsShimTest {
  @RegisterExtension final TestKit kit = new TestKit();

  static File resource(String name) throws URISyntaxException {
    return new File(TlsShimTest.class.getResource("/tls/" + name).toURI());
  }

  private ChaincodeHarness tlsPeer(File cert) throws Exception {
    return kit.own(ChaincodeHarness.start(kit.dir(), o -> o.withMode(ChaincodeOptions.Mode.DEV),
        TlsServerCredentials.create(cert, resource("peer.key"))));
  }

  @Test
  void chaincodeRegistersAndServesOverTls() throws Exception {
    // a self-signed certificate for host name "peer0", valid until 2125
    File cert = resource("peer.crt");
    ChaincodeHarness peer = tlsPeer(cert);
    CompletableFuture<Boolean> ended = peer.runInProcess(
        new ShimOptions(peer.address(), "tlscc", true, cert.getPath(), "peer0"), new ProbeChaincode());
    peer.deploy("tlscc", "init", "a", "1");
    assertThat(peer.query("tlscc", "get", "a")).isEqualTo("1");
    peer.close();
    assertThat(ended.get(30, TimeUnit.SECONDS)).as("the peer ended the stream cleanly").isTrue();
  }

  @Test
  void aWrongServerNameIsRefused() throws Exception {
    File cert = resource("peer.crt");
    ChaincodeHarness peer = tlsPeer(cert);
    // the certificate is for "peer0", not for the address dialled: the handshake fails
    assertThatThrownBy(() -> Shim.run(new ProbeChaincode(),
        new ShimOptions(peer.address(), "tlscc", true, cert.getPath(), null)))
        .hasMessageStartingWith("cannot connect to the peer at " + peer.address());
    assertThat(peer.support().registered()).isEmpty();
  }
}
