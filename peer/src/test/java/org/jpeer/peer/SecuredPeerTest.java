package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.peer.Examples.EXAMPLE02;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jpeer.crypto.client.Certificates;
import org.jpeer.crypto.client.KeyStoreFolder;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.client.TransactionSignatures;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.ExecuteWithBinding;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Secret;
import org.jpeer.protos.SigmaInput;
import org.jpeer.protos.SigmaOutput;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.MembershipServiceProcess;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestCertificates;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code security.enabled} end to end: a real membership service process, a real peer enrolling
 * itself at start, users logging in through {@code /registrar} and the CLI, the seed's secured
 * deploy, invoke and query of a real example02, TCert-signed transactions in the blocks, and
 * forged transactions refused by {@code Peer.ProcessTransaction}.
 */
class SecuredPeerTest {
  private static final Path ROOT = Path.of(System.getProperty("jpeer.root", "..")).toAbsolutePath().normalize();
  private static final String JIM_SECRET = "6avZQLwcUe9b";
  private static final String VP_SECRET = "f3489fy98ghf";

  @RegisterExtension final TestKit kit = new TestKit();

  private MembershipServiceProcess membersrvc() {
    return kit.own(MembershipServiceProcess.start(ROOT, kit.dir().resolve("membersrvc"), Map.of()));
  }

  private PeerEnv secured(String name, MembershipServiceProcess ca) {
    return kit.env(name)
        .with("CORE_SECURITY_ENABLED", "true")
        .with("CORE_PEER_PKI_ECA_PADDR", ca.address())
        .with("CORE_PEER_PKI_TCA_PADDR", ca.address())
        .with("CORE_PEER_PKI_TLSCA_PADDR", ca.address());
  }

  private static String spec(String chaincodeId, String user, String... args) {
    String base = Examples.spec(chaincodeId, args);
    return user == null ? base : base.substring(0, base.length() - 1) + ",\"secureContext\":\"" + user + "\"}";
  }

  private static String login(String id, String secret) {
    return "{\"enrollId\":\"" + id + "\",\"enrollSecret\":\"" + secret + "\"}";
  }

  @Test
  void usersLogInAndTheirTransactionsAreSignedWithFreshTCerts() throws Exception {
    MembershipServiceProcess ca = membersrvc();
    LocalPeer peer = kit.peer(secured("vp0", ca));
    RestClient rest = peer.rest();

    // the peer enrolled itself and keeps its key store where the original does, owner-only
    Path ks = peer.env().fileSystemPath().resolve("crypto/validator/vp/ks/raw");
    assertThat(ks.resolve("enrollment.cert")).exists();
    assertThat(Files.getPosixFilePermissions(ks.resolve("enrollment.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // login: a wrong secret first leaves nothing behind that spoils the right one
    RestClient.Reply wrong = rest.post("/registrar", login("jim", "not-his"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("Error").asText()).isEqualTo("Identity or token does not match.");
    assertThat(peer.env().fileSystemPath().resolve("crypto/client/jim")).doesNotExist();
    RestClient.Reply ok = rest.post("/registrar", login("jim", JIM_SECRET));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("OK").asText()).isEqualTo("Login successful for user 'jim'.");
    Path token = peer.env().fileSystemPath().resolve("client/loginToken_jim");
    assertThat(Files.readString(token)).isEqualTo("jim");
    assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(rest.post("/registrar", login("jim", JIM_SECRET)).json().get("OK").asText())
        .isEqualTo("User jim is already logged in.");
    assertThat(rest.post("/registrar", login("jim", "")).body())
        .isEqualTo("{\"Error\":\"enrollId and enrollSecret may not be blank.\"}");
    assertThat(rest.post("/registrar", login("a-b", "x")).body()).isEqualTo("{\"Error\":\"Invalid enrollment ID parameter\"}");
    assertThat(rest.get("/registrar/jim").json().get("OK").asText()).isEqualTo("User jim is already logged in.");

    // the secureContext checks, before anything reaches the ledger
    JsonNode noUser = rest.rpc("deploy", spec(Examples.byPath(EXAMPLE02), null, "init", "a", "100", "b", "200"), "1").json();
    assertThat(noUser.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(noUser.get("error").get("data").asText()).isEqualTo("Must supply username for chaincode when security is enabled.");
    JsonNode notLoggedIn = rest.rpc("deploy", spec(Examples.byPath(EXAMPLE02), "lukas", "init", "a", "100", "b", "200"), "2").json();
    assertThat(notLoggedIn.get("error").get("code").asInt()).isEqualTo(-32000);
    assertThat(notLoggedIn.get("error").get("message").asText()).isEqualTo("Registration missing");
    assertThat(notLoggedIn.get("error").get("data").asText())
        .isEqualTo("User not logged in. Use the '/registrar' endpoint to obtain a security token.");
    assertThat(rest.height()).isEqualTo(1);

    // the seed's secured deploy, then invoke and query
    JsonNode deployed = rest.rpc("deploy", spec(Examples.byPath(EXAMPLE02), "jim", "init", "a", "100", "b", "200"), "3").json();
    String name = deployed.get("result").get("message").asText();
    peer.await("the deploy to commit", () -> rest.height() == 2);
    JsonNode invoked = rest.rpc("invoke", spec(Examples.byName(name), "jim", "invoke", "a", "b", "10"), "4").json();
    assertThat(invoked.has("result")).as(invoked.toString()).isTrue();
    peer.await("the invoke to commit", () -> rest.height() == 3);
    JsonNode queried = rest.rpc("query", spec(Examples.byName(name), "jim", "query", "a"), "5").json();
    assertThat(queried.get("result").get("message").asText()).as(queried.toString()).isEqualTo("90");

    // the blocks carry TCert-signed transactions that verify against the TCA root, a fresh TCert each
    MemberCredentials vp = new KeyStoreFolder(ks.getParent().getParent()).load(SecurityLevel.DEFAULT).orElseThrow();
    TransactionSignatures verifier = new TransactionSignatures(SecurityLevel.DEFAULT, vp.tcaRoot(), vp.ecaRoot());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    Set<ByteString> certs = new HashSet<>();
    Transaction invoke = null;
    for (long n = 1; n <= 2; n++) {
      Block block = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(n).build());
      for (Transaction tx : block.getTransactionsList()) {
        assertThat(verifier.problem(tx)).as("tx %s", tx.getTxid()).isEmpty();
        assertThat(Certificates.signedBy(Certificates.parse(tx.getCert().toByteArray(), "tcert"), vp.tcaRoot())).isTrue();
        assertThat(tx.getNonce().size()).isEqualTo(24);
        assertThat(tx.getPayload().toStringUtf8()).doesNotContain("jim");
        assertThat(certs.add(tx.getCert())).as("a fresh TCert per transaction").isTrue();
        invoke = tx;
      }
    }
    assertThat(certs).hasSize(2);

    // forged or altered transactions through Peer.ProcessTransaction are refused with the original's texts
    PeerGrpc.PeerBlockingStub peerService = PeerGrpc.newBlockingStub(peer.channel());
    Transaction altered = invoke.toBuilder().setTxid("altered").setPayload(invoke.getPayload().concat(ByteString.copyFromUtf8("x"))).build();
    assertRefused(peerService.processTransaction(altered), "Invalid Transaction Signature.");
    assertRefused(peerService.processTransaction(invoke.toBuilder().clearCert().build()), "Missing Transaction Certificate.");
    assertRefused(peerService.processTransaction(invoke.toBuilder().clearSignature().build()), "Missing Transaction Signature.");
    TestCertificates other = TestCertificates.authority(kit.dir().resolve("other"), "someone-else");
    byte[] foreign = EcKeys.unpem(Files.readString(other.caCert()), "CERTIFICATE");
    assertRefused(peerService.processTransaction(invoke.toBuilder().setCert(ByteString.copyFrom(foreign)).build()),
        "Certificate has not been signed by a trusted authority. [x509: certificate signed by unknown authority]");
    assertThat(rest.height()).isEqualTo(3);

    // certificates of a logged-in user, URL-query-escaped PEM as the original serves them
    String ecert = URLDecoder.decode(rest.get("/registrar/jim/ecert").json().get("OK").asText(), StandardCharsets.UTF_8);
    assertThat(Certificates.parse(EcKeys.unpem(ecert, "CERTIFICATE"), "ecert").getSubjectX500Principal().getName())
        .contains("CN=jim\\\\bank_a");
    JsonNode tcerts = rest.get("/registrar/jim/tcert?count=3").json().get("OK");
    assertThat(tcerts).hasSize(3);
    assertThat(tcerts.get(0)).isEqualTo(tcerts.get(2));
    assertThat(rest.get("/registrar/jim/tcert?count=x").body())
        .isEqualTo("{\"Error\":\"Count query parameter must be a non-negative integer.\"}");

    // the chaincode sees the caller's TCert, the binding (SHA3-256 of cert and nonce) and the metadata
    Path callerInfo = EXAMPLE02.resolveSibling("callerinfo.jar");
    String info = rest.rpc("deploy", spec(Examples.byPath(callerInfo), "jim", "init"), "7").json().at("/result/message").asText();
    peer.await("the callerinfo deploy to commit", () -> rest.height() == 4);
    String remember = spec(Examples.byName(info), "jim", "remember");
    remember = remember.substring(0, remember.length() - 1) + ",\"metadata\":\"aGVsbG8=\"}";
    assertThat(rest.rpc("invoke", remember, "8").json().has("result")).isTrue();
    peer.await("the remember invoke to commit", () -> rest.height() == 5);
    Transaction rememberTx = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(4).build()).getTransactions(0);
    HexFormat hex = HexFormat.of();
    assertThat(queryInfo(rest, info, "cert")).isEqualTo(hex.formatHex(rememberTx.getCert().toByteArray()));
    assertThat(queryInfo(rest, info, "binding")).isEqualTo(hex.formatHex(
        SecurityLevel.DEFAULT.hash(rememberTx.getCert().concat(rememberTx.getNonce()).toByteArray())));
    assertThat(queryInfo(rest, info, "metadata")).isEqualTo(hex.formatHex("hello".getBytes(StandardCharsets.US_ASCII)));
    assertThat(rememberTx.getMetadata().toStringUtf8()).isEqualTo("hello");

    // EXP_*: an application TCert of jim's, a sigma over it, and an invoke with a prepared binding
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    Secret jim = Secret.newBuilder().setEnrollId("jim").build();
    Response appTCert = devops.eXPGetApplicationTCert(jim);
    assertThat(appTCert.getStatus()).as(appTCert.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    java.security.cert.X509Certificate app = Certificates.parse(appTCert.getMsg().toByteArray(), "application TCert");
    assertThat(Certificates.signedBy(app, vp.tcaRoot())).isTrue();
    ByteString data = ByteString.copyFromUtf8("asset 42");
    Response sigma = devops.eXPProduceSigma(SigmaInput.newBuilder().setSecret(jim).setAppTCert(appTCert.getMsg())
        .setData(data).build());
    assertThat(sigma.getStatus()).as(sigma.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    SigmaOutput sigmaOut = SigmaOutput.parseFrom(sigma.getMsg());
    assertThat(sigmaOut.getTcert()).isEqualTo(appTCert.getMsg());
    java.math.BigInteger[] rs = GoEcdsa.parseDer(sigmaOut.getSigma().toByteArray());
    assertThat(GoEcdsa.verify(SecurityLevel.DEFAULT, (java.security.interfaces.ECPublicKey) app.getPublicKey(),
        appTCert.getMsg().concat(data).toByteArray(), rs[0], rs[1])).as("sigma signs appTCert ‖ data").isTrue();
    org.bouncycastle.asn1.ASN1Sequence asn1 = org.bouncycastle.asn1.ASN1Sequence.getInstance(sigmaOut.getAsn1Encoding().toByteArray());
    assertThat(org.bouncycastle.asn1.ASN1OctetString.getInstance(asn1.getObjectAt(0)).getOctets())
        .isEqualTo(appTCert.getMsg().toByteArray());
    assertThat(org.bouncycastle.asn1.ASN1OctetString.getInstance(asn1.getObjectAt(1)).getOctets())
        .isEqualTo(sigmaOut.getSigma().toByteArray());
    Response notJims = devops.eXPProduceSigma(SigmaInput.newBuilder().setSecret(jim)
        .setAppTCert(ByteString.copyFrom(foreign)).setData(data).build());
    assertThat(notJims.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(notJims.getMsg().toStringUtf8()).startsWith("the given TCert is not one of jim's: ");
    Response notLoggedIn2 = devops.eXPGetApplicationTCert(Secret.newBuilder().setEnrollId("lukas").build());
    assertThat(notLoggedIn2.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(notLoggedIn2.getMsg().toStringUtf8()).startsWith("User lukas is not logged in at this peer");

    Response prepared = devops.eXPPrepareForTx(jim);
    assertThat(prepared.getStatus()).as(prepared.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    ChaincodeInvocationSpec rememberAgain = Examples.invocation(info, "remember");
    // callerinfo stores the metadata, and an empty value is refused by the ledger
    rememberAgain = rememberAgain.toBuilder().setChaincodeSpec(rememberAgain.getChaincodeSpec().toBuilder()
        .setMetadata(ByteString.copyFromUtf8("bound"))).build();
    ExecuteWithBinding bound = ExecuteWithBinding.newBuilder()
        .setChaincodeInvocationSpec(rememberAgain).setBinding(prepared.getMsg()).build();
    Response executed = devops.eXPExecuteWithBinding(bound);
    assertThat(executed.getStatus()).as(executed.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    String boundTxid = executed.getMsg().toStringUtf8();
    assertThat(boundTxid).as("the sha256 id of the ctor").matches("[0-9a-f]{64}");
    peer.await("the bound invoke to commit", () -> rest.get("/transactions/" + boundTxid).status() == 200);
    // the chaincode saw the very binding the client was given before the transaction existed
    assertThat(queryInfo(rest, info, "binding")).isEqualTo(hex.formatHex(prepared.getMsg().toByteArray()));
    assertThat(queryInfo(rest, info, "metadata")).isEqualTo(hex.formatHex("bound".getBytes(StandardCharsets.US_ASCII)));
    Response again = devops.eXPExecuteWithBinding(bound);
    assertThat(again.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(again.getMsg().toStringUtf8()).isEqualTo("Transaction handler not found for binding key = "
        + java.util.Base64.getEncoder().encodeToString(prepared.getMsg().toByteArray()));

    // logout: the next deploy is refused
    assertThat(rest.delete("/registrar/jim").json().get("OK").asText())
        .isEqualTo("Deleted login token and directory for user jim.");
    JsonNode after = rest.rpc("invoke", spec(Examples.byName(name), "jim", "invoke", "a", "b", "1"), "6").json();
    assertThat(after.get("error").get("code").asInt()).isEqualTo(-32000);
    // and not through gRPC Devops either, which a remote client may call naming anyone
    ChaincodeInvocationSpec asJim = Examples.invocation(name, "query", "a");
    asJim = asJim.toBuilder().setChaincodeSpec(asJim.getChaincodeSpec().toBuilder().setSecureContext("jim")).build();
    ChaincodeInvocationSpec finalAsJim = asJim;
    assertThatThrownBy(() -> DevopsGrpc.newBlockingStub(peer.channel()).query(finalAsJim))
        .hasMessageContaining("User jim is not logged in at this peer");

    // the CLI logs in through Devops.Login, and its query names the user
    ChildProcess.Result cliLogin = peer.cli("network", "login", "lukas", "-p", "NPKYL39uKbkj");
    assertThat(cliLogin.exitCode()).as(cliLogin.describe()).isZero();
    ChildProcess.Result cliQuery = peer.cli("chaincode", "query", "-l", "java", "-n", name, "-u", "lukas",
        "-c", "{\"Args\":[\"query\",\"b\"]}");
    assertThat(cliQuery.exitCode()).as(cliQuery.describe()).isZero();
    assertThat(cliQuery.stdout()).isEqualTo("Query Result: 210\n");

    // no secret and no private key in any log line of the run
    String logs = peer.output() + ca.stderr() + cliLogin.stderr() + cliQuery.stderr();
    for (String secret : List.of(JIM_SECRET, VP_SECRET, "NPKYL39uKbkj", "PRIVATE KEY")) {
      assertThat(logs).doesNotContain(secret);
    }
    try (Stream<Path> files = Files.walk(kit.logDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertThat(text).as(f.toString()).doesNotContain(JIM_SECRET).doesNotContain(VP_SECRET).doesNotContain("PRIVATE KEY");
      }
    }
  }

  @Test
  void enrolledPeersJoinAndOthersAreRefused() {
    MembershipServiceProcess ca = membersrvc();
    LocalPeer vp0 = kit.peer(secured("vp0", ca).with("CORE_PEER_ID", "vp0"));
    LocalPeer vp1 = kit.peer(secured("vp1", ca).with("CORE_PEER_ID", "vp1")
        .with("CORE_SECURITY_ENROLLID", "test_vp1").with("CORE_SECURITY_ENROLLSECRET", "5wgHK9qqYaPy")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString()));
    vp0.await("vp0 to list vp1", () -> peers(vp0).contains(vp1.grpc().toString()));
    vp1.await("vp1 to list vp0", () -> peers(vp1).contains(vp0.grpc().toString()));

    // a peer with security off sends an unsigned hello; a client's certificate is no peer's
    LocalPeer open = kit.peer(kit.env("open").with("CORE_PEER_ID", "open")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString()));
    LocalPeer client = kit.peer(secured("client", ca).with("CORE_PEER_ID", "client")
        .with("CORE_SECURITY_ENROLLID", "test_user0").with("CORE_SECURITY_ENROLLSECRET", "MS9qrN8hFjlE")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString()));
    vp0.await("vp0 to refuse both", () -> vp0.output().contains("Refused the DISC_HELLO of open on ")
        && vp0.output().contains("it is not signed (is security.enabled on at that peer?)")
        && vp0.output().contains("Refused the DISC_HELLO of client on ")
        && vp0.output().contains("its enrolment certificate is not a peer's or a validator's (role 1)"));
    assertThat(peers(vp0)).doesNotContain(open.grpc().toString()).doesNotContain(client.grpc().toString());
    assertThat(peers(vp0)).contains(vp1.grpc().toString());
  }

  private static String peers(LocalPeer peer) {
    ChildProcess.Result r = peer.cli("network", "list");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r.stdout();
  }

  @Test
  void aPeerWithAWrongEnrolmentSecretDoesNotStart() {
    MembershipServiceProcess ca = membersrvc();
    ChildProcess.Result start = kit.cli(secured("vp0", ca).with("CORE_SECURITY_ENROLLSECRET", "Wr0ngSecr3t"), "node", "start");
    assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
    assertThat(start.stderr().lines().filter(l -> l.startsWith("Error: ")).toList()).containsExactly(
        "Error: cannot start the peer: cannot enrol vp (security.enrollID) with the membership service at "
            + ca.address() + " (peer.pki.eca.paddr): Identity or token does not match.");
    assertThat(start.stderr()).doesNotContain("Wr0ngSecr3t");
  }

  /**
   * {@code server.tls.*} on the membership service and {@code peer.pki.tls.*} on the peer: the
   * enrolment secret crosses the network encrypted; a peer that does not trust the service's root,
   * or dials it in plaintext, does not start, and says why in one line.
   */
  @Test
  void thePeerEnrolsOverTlsAndRefusesAMembershipServiceItDoesNotTrust() throws Exception {
    TestCertificates pki = TestCertificates.authority(kit.dir().resolve("pki"), "membersrvc-root");
    TestCertificates.Server server = pki.server("membersrvc");
    MembershipServiceProcess ca = kit.own(MembershipServiceProcess.start(ROOT, kit.dir().resolve("membersrvc"), Map.of(
        "MEMBERSRVC_CA_SERVER_TLS_CERT_FILE", server.certFile().toString(),
        // the SEC1 form openssl ecparam and Go write: converted by the service
        "MEMBERSRVC_CA_SERVER_TLS_KEY_FILE", server.sec1KeyFile().toString())));
    assertThat(ca.stderr()).contains("listening on " + ca.address() + " with TLS");

    TestCertificates other = TestCertificates.authority(kit.dir().resolve("other-pki"), "someone-else");
    ChildProcess.Result untrusted = kit.cli(secured("vp0", ca).with("CORE_PEER_PKI_TLS_ENABLED", "true")
        .with("CORE_PEER_PKI_TLS_ROOTCERT_FILE", other.caCert().toString()), "node", "start");
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isEqualTo(1);
    assertThat(untrusted.stderr().lines().filter(l -> l.startsWith("Error: ")).toList()).singleElement()
        .asString().startsWith("Error: cannot start the peer: cannot enrol vp (security.enrollID) with the membership"
            + " service at " + ca.address() + " (peer.pki.eca.paddr): the ECA cannot be reached (UNAVAILABLE")
        .contains("TLS: ");
    ChildProcess.Result plaintext = kit.cli(secured("vp0", ca), "node", "start");
    assertThat(plaintext.exitCode()).as(plaintext.describe()).isEqualTo(1);
    assertThat(plaintext.stderr()).contains("the ECA cannot be reached (UNAVAILABLE").doesNotContain(VP_SECRET);
    ChildProcess.Result noRoot = kit.cli(secured("vp0", ca).with("CORE_PEER_PKI_TLS_ENABLED", "true")
        .with("CORE_PEER_PKI_TLS_ROOTCERT_FILE", kit.dir().resolve("absent.pem").toString()), "node", "start");
    assertThat(noRoot.exitCode()).as(noRoot.describe()).isEqualTo(1);
    assertThat(noRoot.stderr().lines().filter(l -> l.startsWith("Error: ")).toList()).containsExactly(
        "Error: cannot start the peer: cannot read peer.pki.tls.rootcert.file " + kit.dir().resolve("absent.pem")
            + ": no such file");

    LocalPeer peer = kit.peer(secured("vp0", ca).with("CORE_PEER_PKI_TLS_ENABLED", "true")
        .with("CORE_PEER_PKI_TLS_ROOTCERT_FILE", pki.caCert().toString()));
    assertThat(peer.env().fileSystemPath().resolve("crypto/validator/vp/ks/raw/enrollment.cert")).exists();
    // the users' logins go over the same TLS channels
    RestClient.Reply ok = peer.rest().post("/registrar", login("jim", JIM_SECRET));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(peer.rest().get("/registrar/jim/tcert").status()).isEqualTo(200);
  }

  private static String queryInfo(RestClient rest, String chaincode, String key) {
    JsonNode answer = rest.rpc("query", spec(Examples.byName(chaincode), "jim", "get", key), "9").json();
    assertThat(answer.has("result")).as(answer.toString()).isTrue();
    return answer.at("/result/message").asText();
  }

  private static void assertRefused(Response r, String text) {
    assertThat(r.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(r.getMsg().toStringUtf8()).isEqualTo(text);
  }
}
