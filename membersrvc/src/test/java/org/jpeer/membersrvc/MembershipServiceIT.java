package org.jpeer.membersrvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.Ecies;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.crypto.security.TCertKeys;
import org.jpeer.protos.membersrvc.CryptoType;
import org.jpeer.protos.membersrvc.ECAAGrpc;
import org.jpeer.protos.membersrvc.ECAPGrpc;
import org.jpeer.protos.membersrvc.ECertCreateReq;
import org.jpeer.protos.membersrvc.ECertCreateResp;
import org.jpeer.protos.membersrvc.Empty;
import org.jpeer.protos.membersrvc.Identity;
import org.jpeer.protos.membersrvc.PublicKey;
import org.jpeer.protos.membersrvc.RegisterUserReq;
import org.jpeer.protos.membersrvc.Registrar;
import org.jpeer.protos.membersrvc.Signature;
import org.jpeer.protos.membersrvc.TCAPGrpc;
import org.jpeer.protos.membersrvc.TCert;
import org.jpeer.protos.membersrvc.TCertCreateSetReq;
import org.jpeer.protos.membersrvc.TCertCreateSetResp;
import org.jpeer.protos.membersrvc.TLSCAPGrpc;
import org.jpeer.protos.membersrvc.TLSCertCreateReq;
import org.jpeer.protos.membersrvc.Token;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.MembershipServiceProcess;
import org.jpeer.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/membersrvc} process on 127.0.0.1 port 0, driven through its gRPC services the
 * way the original's Go client drives them (core/crypto/node_eca.go, client_tca.go): the
 * two-round-trip enrolment with the ECIES challenge, TCert batches whose keys the owner derives,
 * TLS certificates, registration by a registrar, and a restart that keeps it all.
 */
class MembershipServiceIT {
  private static final SecurityLevel LEVEL = SecurityLevel.DEFAULT;
  private static final Path ROOT = Path.of(System.getProperty("jpeer.root", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;
  private MembershipServiceProcess membersrvc;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    closeChannel();
    if (membersrvc != null) {
      membersrvc.close();
    }
  }

  @Test
  void enrolsIssuesTCertsAndTlsCertsRegistersUsersAndSurvivesARestart() throws Exception {
    start();
    byte[] ecaRoot = ECAPGrpc.newBlockingStub(channel).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray();
    X509Certificate root = CertificateAuthority.parse(ecaRoot);

    // a wrong secret: the original's text, and nothing spoiled for the right one
    assertThatThrownBy(() -> enrol("jim", "wrong-secret", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
        .hasMessageContaining("Identity or token does not match.");
    assertThatThrownBy(() -> enrol("nobody", "x", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
        .hasMessageContaining("Identity or token does not match.");

    KeyPair sign = EcKeys.generate(LEVEL);
    KeyPair enc = EcKeys.generate(LEVEL);
    ECertCreateResp jim = enrol("jim", "6avZQLwcUe9b", sign, enc);
    X509Certificate ecert = CertificateAuthority.parse(jim.getCerts().getSign().toByteArray());
    ecert.verify(root.getPublicKey());
    assertThat(ecert.getPublicKey()).isEqualTo(sign.getPublic());
    assertThat(Tca.cn(ecert)).isEqualTo("jim\\bank_a");
    assertThat(ecert.getCriticalExtensionOIDs()).contains(Eca.ROLE_OID);
    assertThat(ecert.getExtensionValue(Eca.ROLE_OID)).endsWith("1".getBytes(StandardCharsets.US_ASCII));
    assertThat(CertificateAuthority.parse(jim.getCerts().getEnc().toByteArray()).getPublicKey()).isEqualTo(enc.getPublic());
    assertThat(new String(jim.getPkchain().toByteArray(), StandardCharsets.US_ASCII)).startsWith("-----BEGIN ECDSA PUBLIC KEY");
    assertThat(jim.getChain().getTok().size()).isEqualTo(32);
    // one-time: enrolling again is refused with the original's text
    assertThatThrownBy(() -> enrol("jim", "6avZQLwcUe9b", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
        .hasMessageContaining("Invalid (=expired) certificate creation token provided.");

    // a validator gets the private chain key
    ECertCreateResp vp = enrol("vp", "f3489fy98ghf", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL));
    assertThat(new String(vp.getPkchain().toByteArray(), StandardCharsets.US_ASCII)).startsWith("-----BEGIN ECDSA PRIVATE KEY");

    // TCerts: the owner derives each one's private key from its enrolment key
    byte[] tcaRoot = TCAPGrpc.newBlockingStub(channel).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray();
    TCertCreateSetReq.Builder tcReq = TCertCreateSetReq.newBuilder()
        .setTs(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
        .setId(Identity.newBuilder().setId("jim")).setNum(3);
    tcReq.setSig(signature((ECPrivateKey) sign.getPrivate(), tcReq.build().toByteArray()));
    TCertCreateSetResp set = TCAPGrpc.newBlockingStub(channel).createCertificateSet(tcReq.build());
    assertThat(set.getCerts().getCertsList()).hasSize(3);
    byte[] kdfKey = set.getCerts().getKey().toByteArray();
    for (TCert t : set.getCerts().getCertsList()) {
      X509Certificate tcert = CertificateAuthority.parse(t.getCert().toByteArray());
      tcert.verify(CertificateAuthority.parse(tcaRoot).getPublicKey());
      byte[] ext = org.bouncycastle.asn1.ASN1OctetString.getInstance(tcert.getExtensionValue(Tca.TCERT_INDEX_OID)).getOctets();
      byte[] index = TCertKeys.decryptIndex(LEVEL, kdfKey, ext);
      BigInteger k = TCertKeys.k(LEVEL, kdfKey, index);
      ECPrivateKey tcertKey = TCertKeys.privateKey(LEVEL, (ECPrivateKey) sign.getPrivate(), k);
      assertThat(EcKeys.publicOf(LEVEL, tcertKey)).isEqualTo(tcert.getPublicKey());
      byte[] tx = "a transaction".getBytes(StandardCharsets.US_ASCII);
      BigInteger[] rs = GoEcdsa.sign(LEVEL, tcertKey, tx);
      assertThat(GoEcdsa.verify(LEVEL, (ECPublicKey) tcert.getPublicKey(), tx, rs[0], rs[1])).isTrue();
      assertThat(tcert.getPublicKey()).isNotEqualTo(sign.getPublic());
    }
    // a TCert request signed by another key is refused
    TCertCreateSetReq forged = tcReq.clone()
        .setSig(signature((ECPrivateKey) EcKeys.generate(LEVEL).getPrivate(), tcReq.clearSig().build().toByteArray())).build();
    assertThatThrownBy(() -> TCAPGrpc.newBlockingStub(channel).createCertificateSet(forged))
        .hasMessageContaining("signature does not verify");

    // TLS certificate for the enrolled id
    KeyPair tls = EcKeys.generate(LEVEL);
    TLSCertCreateReq.Builder tlsReq = TLSCertCreateReq.newBuilder()
        .setTs(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
        .setId(Identity.newBuilder().setId("jim"))
        .setPub(PublicKey.newBuilder().setType(CryptoType.ECDSA).setKey(ByteString.copyFrom(tls.getPublic().getEncoded())));
    tlsReq.setSig(signature((ECPrivateKey) tls.getPrivate(), tlsReq.build().toByteArray()));
    var tlsResp = TLSCAPGrpc.newBlockingStub(channel).createCertificate(tlsReq.build());
    X509Certificate tlsCert = CertificateAuthority.parse(tlsResp.getCert().getCert().toByteArray());
    tlsCert.verify(CertificateAuthority.parse(tlsResp.getRootCert().getCert().toByteArray()).getPublicKey());
    assertThat(tlsCert.getPublicKey()).isEqualTo(tls.getPublic());

    // a registrar (admin) registers a client; the one-time token enrols it
    KeyPair adminSign = EcKeys.generate(LEVEL);
    enrol("admin", "Xurw3yU9zI0l", adminSign, EcKeys.generate(LEVEL));
    RegisterUserReq.Builder reg = RegisterUserReq.newBuilder()
        .setId(Identity.newBuilder().setId("carol")).setRoleValue(1).setAffiliation("bank_b")
        .setRegistrar(Registrar.newBuilder().setId(Identity.newBuilder().setId("admin")));
    reg.setSig(signature((ECPrivateKey) adminSign.getPrivate(), reg.build().toByteArray()));
    Token carolToken = ECAAGrpc.newBlockingStub(channel).registerUser(reg.build());
    assertThat(carolToken.getTok().toStringUtf8()).hasSize(12);
    // jim is no registrar
    RegisterUserReq.Builder byJim = reg.clone().clearSig().setId(Identity.newBuilder().setId("dave"))
        .setRegistrar(Registrar.newBuilder().setId(Identity.newBuilder().setId("jim")));
    byJim.setSig(signature((ECPrivateKey) sign.getPrivate(), byJim.build().toByteArray()));
    assertThatThrownBy(() -> ECAAGrpc.newBlockingStub(channel).registerUser(byJim.build()))
        .hasMessageContaining("member jim is not a registrar");

    // restart: same roots, jim still enrolled, carol's token still valid
    closeChannel();
    assertThat(membersrvc.process().terminate()).isEqualTo(143);
    start();
    assertThat(ECAPGrpc.newBlockingStub(channel).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray())
        .isEqualTo(ecaRoot);
    assertThatThrownBy(() -> enrol("jim", "6avZQLwcUe9b", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
        .hasMessageContaining("Invalid (=expired) certificate creation token provided.");
    KeyPair carolSign = EcKeys.generate(LEVEL);
    X509Certificate carol = CertificateAuthority.parse(
        enrol("carol", carolToken.getTok().toStringUtf8(), carolSign, EcKeys.generate(LEVEL)).getCerts().getSign().toByteArray());
    assertThat(Tca.cn(carol)).isEqualTo("carol\\bank_b");

    // no secret, challenge or token in clear in the state folder, and none in the log
    List<String> secrets = List.of("6avZQLwcUe9b", "Xurw3yU9zI0l", "f3489fy98ghf", carolToken.getTok().toStringUtf8());
    try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String s : secrets) {
          assertThat(content).as(f + " holds a secret").doesNotContain(s);
        }
      }
    }
    for (String s : secrets) {
      assertThat(membersrvc.stderr()).doesNotContain(s);
    }
  }

  @Test
  void wrongSecretsAreThrottledPerIdentity() throws Exception {
    start(Map.of("MEMBERSRVC_CA_LIMITS_ENROLMENT_FAILURES", "3", "MEMBERSRVC_CA_LIMITS_ENROLMENT_BACKOFF", "1h"));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> enrol("bob", "guess", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
          .hasMessageContaining("Identity or token does not match.");
    }
    // now even the right secret waits, and the log names the id but never a secret
    assertThatThrownBy(() -> enrol("bob", "NOE63pEQbL25", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("Too many failed enrolment attempts for bob");
    assertThat(membersrvc.stderr()).contains("enrolment of bob refused").doesNotContain("guess").doesNotContain("NOE63pEQbL25");
    // another identity is not affected
    assertThat(enrol("alice", "CMS10pEQlB16", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)).hasCerts()).isTrue();
  }

  @Test
  void anInterruptedEnrolmentCanStartAgain() throws Exception {
    start();
    KeyPair enc = EcKeys.generate(LEVEL);
    // round one only, as a client killed between the two rounds
    ECAPGrpc.newBlockingStub(channel).createCertificatePair(round1("lukas", "NPKYL39uKbkj", EcKeys.generate(LEVEL), enc));
    // on the original lukas could never enrol again; here the secret starts over
    assertThat(enrol("lukas", "NPKYL39uKbkj", EcKeys.generate(LEVEL), EcKeys.generate(LEVEL)).hasCerts()).isTrue();
  }

  @Test
  void aBadConfigurationStopsTheStartWithOneLine() throws Exception {
    Files.writeString(dir.resolve("membersrvc.yaml"), "security:\n  level: 512\n");
    ChildProcess.Result r = ChildProcess.run("membersrvc", List.of(ROOT.resolve("bin/membersrvc").toString()), dir,
        env(Map.of()), dir.resolve("logs"), Await.PATIENCE);
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr().strip()).isEqualTo(
        "Error: security.level / security.hashAlgorithm: Security level not supported [512]: use 256 or 384");

    Files.writeString(dir.resolve("membersrvc.yaml"), "eca:\n  users:\n    \"bad id\": 1 secret\n");
    r = ChildProcess.run("membersrvc", List.of(ROOT.resolve("bin/membersrvc").toString()), dir,
        env(Map.of()), dir.resolve("logs"), Await.PATIENCE);
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr().strip()).startsWith("Error: eca.users.bad id (").endsWith(
        "): the id \"bad id\" may hold no spaces, control characters, '/' or '\\'");
  }

  @Test
  void servesTlsWithTheConfiguredIdentityAndRefusesBadTlsSettingsWithOneLine() throws Exception {
    TestCertificates pki = TestCertificates.authority(dir.resolve("pki"), "root");
    TestCertificates.Server server = pki.server("membersrvc");
    TestCertificates.Server another = pki.server("another");
    ChildProcess.Result halfSet = ChildProcess.run("membersrvc", List.of(ROOT.resolve("bin/membersrvc").toString()), dir,
        env(Map.of("MEMBERSRVC_CA_SERVER_TLS_CERT_FILE", server.certFile().toString())), dir.resolve("logs"),
        Await.PATIENCE);
    assertThat(halfSet.exitCode()).as(halfSet.describe()).isEqualTo(1);
    assertThat(halfSet.stderr().strip()).isEqualTo("Error: server.tls.cert.file is set (env"
        + " MEMBERSRVC_CA_SERVER_TLS_CERT_FILE) but server.tls.key.file is not: set both for TLS, or neither");
    ChildProcess.Result mismatched = ChildProcess.run("membersrvc", List.of(ROOT.resolve("bin/membersrvc").toString()),
        dir, env(Map.of("MEMBERSRVC_CA_SERVER_TLS_CERT_FILE", server.certFile().toString(),
            "MEMBERSRVC_CA_SERVER_TLS_KEY_FILE", another.keyFile().toString())), dir.resolve("logs"), Await.PATIENCE);
    assertThat(mismatched.exitCode()).as(mismatched.describe()).isEqualTo(1);
    assertThat(mismatched.stderr().strip()).isEqualTo("Error: server.tls.key.file " + another.keyFile()
        + " is not the key of the first certificate in server.tls.cert.file " + server.certFile());

    membersrvc = MembershipServiceProcess.start(ROOT, dir, Map.of(
        "MEMBERSRVC_CA_SERVER_TLS_CERT_FILE", server.certFile().toString(),
        "MEMBERSRVC_CA_SERVER_TLS_KEY_FILE", server.sec1KeyFile().toString()));
    ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", membersrvc.port(),
        io.grpc.TlsChannelCredentials.newBuilder().trustManager(pki.caCert().toFile()).build()).build();
    ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", membersrvc.port()).usePlaintext().build();
    try {
      assertThat(ECAPGrpc.newBlockingStub(tls).readCACertificate(Empty.getDefaultInstance()).getCert().isEmpty()).isFalse();
      assertThatThrownBy(() -> ECAPGrpc.newBlockingStub(plain).readCACertificate(Empty.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class).hasMessageStartingWith("UNAVAILABLE");
    } finally {
      tls.shutdownNow();
      plain.shutdownNow();
    }
  }

  private ECertCreateReq round1(String id, String secret, KeyPair sign, KeyPair enc) {
    return ECertCreateReq.newBuilder()
        .setTs(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
        .setId(Identity.newBuilder().setId(id))
        .setTok(Token.newBuilder().setTok(ByteString.copyFromUtf8(secret)))
        .setSign(PublicKey.newBuilder().setType(CryptoType.ECDSA).setKey(ByteString.copyFrom(sign.getPublic().getEncoded())))
        .setEnc(PublicKey.newBuilder().setType(CryptoType.ECDSA).setKey(ByteString.copyFrom(enc.getPublic().getEncoded())))
        .build();
  }

  /** The Go client's enrolment (node_eca.go getEnrollmentCertificateFromECA): two rounds. */
  private ECertCreateResp enrol(String id, String secret, KeyPair sign, KeyPair enc) throws Exception {
    var ecap = ECAPGrpc.newBlockingStub(channel);
    ECertCreateReq req = round1(id, secret, sign, enc);
    ECertCreateResp challenge = ecap.createCertificatePair(req);
    byte[] plain = Ecies.decrypt(LEVEL, (ECPrivateKey) enc.getPrivate(), challenge.getTok().getTok().toByteArray());
    ECertCreateReq.Builder second = req.toBuilder().setTok(Token.newBuilder().setTok(ByteString.copyFrom(plain))).clearSig();
    second.setSig(signature((ECPrivateKey) sign.getPrivate(), second.build().toByteArray()));
    return ecap.createCertificatePair(second.build());
  }

  private static Signature signature(ECPrivateKey key, byte[] message) {
    BigInteger[] rs = GoEcdsa.sign(LEVEL, key, message);
    return Signature.newBuilder().setType(CryptoType.ECDSA)
        .setR(ByteString.copyFrom(GoEcdsa.text(rs[0]))).setS(ByteString.copyFrom(GoEcdsa.text(rs[1]))).build();
  }

  private Map<String, String> env(Map<String, String> extra) {
    return MembershipServiceProcess.env(dir, extra);
  }

  private void start() throws IOException {
    start(Map.of());
  }

  private void start(Map<String, String> extra) throws IOException {
    membersrvc = MembershipServiceProcess.start(ROOT, dir, extra);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", membersrvc.port()).usePlaintext().build();
  }

  private void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }
}
