package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.peer.Examples.EXAMPLE02;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestCertificates;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code peer.tls.enabled}: real peer processes with certificates of a throw-away CA, the CLI, a
 * real example02 process, HTTPS and a second peer, all over TLS; clients that do not trust the
 * root are refused; bad key files stop the start with one line.
 */
class TlsEndToEndTest {
  private static final String INIT = "{\"Args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}";
  private static final String MOVE = "{\"Function\":\"move\",\"Args\":[\"a\",\"b\",\"10\"]}";
  private static final String QUERY = "{\"Args\":[\"query\",\"a\"]}";

  @RegisterExtension final TestKit kit = new TestKit();

  private TestCertificates ca() {
    return TestCertificates.authority(kit.dir().resolve("pki"), "jpeer-test");
  }

  private PeerEnv tlsEnv(String name, TestCertificates ca, TestCertificates.Server server) {
    return kit.env(name)
        .with("CORE_PEER_TLS_ENABLED", "true")
        .with("CORE_PEER_TLS_CERT_FILE", server.certFile().toString())
        .with("CORE_PEER_TLS_KEY_FILE", server.keyFile().toString())
        .with("CORE_PEER_TLS_ROOTCERT_FILE", ca.caCert().toString());
  }

  private static RestClient https(LocalPeer peer, TestCertificates ca) {
    return new RestClient(URI.create("https://127.0.0.1:" + peer.addresses().get(LocalPeer.REST).port()),
        ca.clientContext());
  }

  private static ChildProcess.Result ok(ChildProcess.Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  @Test
  void cliChaincodeRestAndEventsAllGoOverTls() {
    TestCertificates ca = ca();
    LocalPeer peer = kit.peer(tlsEnv("vp0", ca, ca.server("vp0")));
    RestClient rest = https(peer, ca);
    assertThat(rest.height()).isEqualTo(1);

    String deploy = ok(peer.cli("chaincode", "deploy", "-l", "java", "-p", EXAMPLE02.toString(), "-c", INIT)).stdout();
    String name = deploy.substring("Deploy chaincode: ".length()).trim();
    peer.await("the deploy to commit", () -> rest.height() == 2);
    assertThat(rest.get("/transactions/" + name).status()).isEqualTo(200);

    ok(peer.cli("chaincode", "invoke", "-l", "java", "-n", name, "-c", MOVE));
    peer.await("the invoke to commit", () -> rest.height() == 3);
    assertThat(ok(peer.cli("chaincode", "query", "-l", "java", "-n", name, "-c", QUERY)).stdout())
        .isEqualTo("Query Result: 90\n");

    // the chaincode dialled peer.address with TLS (the original's " -s"), not the plaintext socket
    List<ProcessHandle> chaincode = peer.chaincodeProcesses();
    assertThat(chaincode).hasSize(1);
    List<String> args = List.of(chaincode.get(0).info().arguments().orElseThrow());
    assertThat(args).contains(" -s", peer.grpc().toString());
    assertThat(peer.env().fileSystemPath().resolve("chaincode.sock")).doesNotExist();

    // the event hub: the CLI replays block 0 over TLS
    ChildProcess.Result events = ok(peer.cli("events", "listen", "--from", "1", "--count", "1"));
    assertThat(events.stdout()).isEqualTo("block 1 1 " + name + "\n");
  }

  @Test
  void clientsThatDoNotTrustTheRootOrSpeakPlaintextAreRefused() {
    TestCertificates ca = ca();
    LocalPeer peer = kit.peer(tlsEnv("vp0", ca, ca.server("vp0")));
    TestCertificates other = TestCertificates.authority(kit.dir().resolve("other"), "someone-else");

    ChildProcess.Result untrusting = kit.cli(peer.env().with("CORE_PEER_ADDRESS", peer.grpc().toString())
        .with("CORE_PEER_TLS_ROOTCERT_FILE", other.caCert().toString()), "network", "list");
    assertThat(untrusting.exitCode()).as(untrusting.describe()).isEqualTo(1);
    assertThat(untrusting.stderr()).startsWith("Error: ");

    ChildProcess.Result plaintext = kit.cli(peer.env().with("CORE_PEER_ADDRESS", peer.grpc().toString())
        .with("CORE_PEER_TLS_ENABLED", "false"), "network", "list");
    assertThat(plaintext.exitCode()).as(plaintext.describe()).isEqualTo(1);

    URI restUri = URI.create("https://127.0.0.1:" + peer.addresses().get(LocalPeer.REST).port());
    assertThatThrownBy(() -> new RestClient(restUri, other.clientContext()).get("/chain"))
        .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    assertThatThrownBy(() -> new RestClient(URI.create("http://127.0.0.1:" + restUri.getPort())).get("/chain"))
        .isInstanceOf(java.io.UncheckedIOException.class);

    // the peer is unharmed by all of that
    assertThat(https(peer, ca).height()).isEqualTo(1);
    assertThat(ok(peer.cli("network", "list")).stdout()).isEqualTo("{\"Peers\":[]}\n");
  }

  @Test
  void twoTlsPeersFindEachOther() {
    TestCertificates ca = ca();
    LocalPeer vp0 = kit.peer(tlsEnv("vp0", ca, ca.server("vp0")).with("CORE_PEER_ID", "vp0"));
    LocalPeer vp1 = kit.peer(tlsEnv("vp1", ca, ca.server("vp1"))
        .with("CORE_PEER_ID", "vp1")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString()));
    vp1.await("vp1 to list vp0 as a peer", () -> ok(vp1.cli("network", "list")).stdout().contains(vp0.grpc().toString()));
    vp0.await("vp0 to list vp1 as a peer", () -> ok(vp0.cli("network", "list")).stdout().contains(vp1.grpc().toString()));
  }

  @Test
  void aKeyInGosSec1FormWorks() {
    TestCertificates ca = ca();
    TestCertificates.Server server = ca.server("vp0");
    LocalPeer peer = kit.peer(tlsEnv("vp0", ca, server).with("CORE_PEER_TLS_KEY_FILE", server.sec1KeyFile().toString()));
    assertThat(https(peer, ca).height()).isEqualTo(1);
    assertThat(ok(peer.cli("node", "status")).stdout()).isEqualTo("status:STARTED\n");
  }

  @Test
  void unusableKeyOrCertificateFilesStopTheStartWithOneLine() throws Exception {
    TestCertificates ca = ca();
    TestCertificates.Server server = ca.server("vp0");
    TestCertificates.Server another = ca.server("vp9");
    Path missing = kit.dir().resolve("no-such.key");
    Path garbage = kit.dir().resolve("garbage.key");
    Files.writeString(garbage, "not a key\n");

    assertStartFails(tlsEnv("a", ca, server).with("CORE_PEER_TLS_KEY_FILE", missing.toString()),
        "Error: cannot read peer.tls.key.file " + missing + ": no such file (peer.tls.enabled is true)");
    assertStartFails(tlsEnv("b", ca, server).with("CORE_PEER_TLS_KEY_FILE", garbage.toString()),
        "Error: peer.tls.key.file " + garbage + " holds no PEM private key (peer.tls.enabled is true)");
    assertStartFails(tlsEnv("c", ca, server).with("CORE_PEER_TLS_CERT_FILE", garbage.toString()),
        "Error: peer.tls.cert.file " + garbage + " is not a PEM certificate chain: No certificate data found "
            + "(peer.tls.enabled is true)");
    ChildProcess.Result mismatch = kit.cli(tlsEnv("d", ca, server).with("CORE_PEER_TLS_KEY_FILE",
        another.keyFile().toString()), "node", "start");
    assertThat(mismatch.exitCode()).as(mismatch.describe()).isEqualTo(1);
    assertThat(mismatch.stderr().lines().filter(l -> l.startsWith("Error: ")).toList()).singleElement()
        .asString().contains("peer.tls.key.file " + another.keyFile());
  }

  private void assertStartFails(PeerEnv env, String errorLine) {
    ChildProcess.Result start = kit.cli(env, "node", "start");
    assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
    assertThat(start.stderr().lines().filter(l -> l.startsWith("Error: ")).toList()).containsExactly(errorLine);
  }
}
