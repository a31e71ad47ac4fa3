package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.TlsServerCredentials;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jpeer.shim.Shim;
import org.jpeer.shim.ShimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shim over TLS: trusts CORE_PEER_TLS_CERT_FILE, checks the override host name. */
class TlsShimTest {
  @TempDir Path dir;

  static File resource(String name) throws URISyntaxException {
    return new File(TlsShimTest.class.getResource("/tls/" + name).toURI());
  }

  @Test
  void chaincodeRegistersAndServesOverTls() throws Exception {
    // a self-signed certificate for host name "peer0", valid until 2125
    File cert = resource("peer.crt");
    TestNetwork net = new TestNetwork(dir, o -> o,
        TlsServerCredentials.create(cert, resource("peer.key")));
    try {
      CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
        try {
          return Shim.run(new ProbeChaincode(),
              new ShimOptions(net.address, "tlscc", true, cert.getPath(), "peer0"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Await.until("tlscc registered", Duration.ofSeconds(30),
          () -> net.support.registered().contains("tlscc") || ended.isDone());
      net.execute(net.deployTx("tlscc", "init", "a", "1"));
      assertThat(net.query("tlscc", "get", "a")).isEqualTo("1");
      net.close();
      assertThat(ended.get(30, TimeUnit.SECONDS)).isTrue(); // the peer ended the stream cleanly
    } finally {
      net.close();
    }
  }

  @Test
  void aWrongServerNameIsRefused() throws Exception {
    File cert = resource("peer.crt");
    try (TestNetwork net = new TestNetwork(dir, o -> o,
        TlsServerCredentials.create(cert, resource("peer.key")))) {
      // the certificate is for "peer0", not for the address dialled: the handshake fails
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Shim.run(new ProbeChaincode(),
          new ShimOptions(net.address, "tlscc", true, cert.getPath(), null)))
          .hasMessageContaining("cannot connect to the peer at " + net.address);
      assertThat(net.support.registered()).isEmpty();
    }
  }
}
