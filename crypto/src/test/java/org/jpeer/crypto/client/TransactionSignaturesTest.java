package org.jpeer.crypto.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionSignaturesTest {
  private static final SecurityLevel LEVEL = SecurityLevel.DEFAULT;

  private final KeyPair tcaKey = EcKeys.generate(LEVEL);
  private final KeyPair ecaKey = EcKeys.generate(LEVEL);
  private final X509Certificate tcaRoot = cert("tca", tcaKey, tcaKey);
  private final X509Certificate ecaRoot = cert("eca", ecaKey, ecaKey);
  private final TransactionSignatures validator = new TransactionSignatures(LEVEL, tcaRoot, ecaRoot);

  private static X509Certificate cert(String cn, KeyPair subject, KeyPair issuer) {
    try {
      var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + (issuer == subject ? cn : "issuer")),
          BigInteger.valueOf(cn.hashCode() & 0x7fffffff), new Date(System.currentTimeMillis() - 60_000),
          new Date(System.currentTimeMillis() + 3_600_000), new X500Name("CN=" + cn), subject.getPublic());
      byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())).getEncoded();
      return Certificates.parse(der, cn);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private TCertKey tcert(KeyPair issuer) {
    KeyPair key = EcKeys.generate(LEVEL);
    return new TCertKey(Certificates.der(cert("tcert", key, issuer)), (ECPrivateKey) key.getPrivate());
  }

  private static Transaction tx() {
    return Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_INVOKE).setTxid("t1")
        .setPayload(ByteString.copyFromUtf8("payload")).build();
  }

  @Test
  void aSignedTransactionVerifiesAndAnyChangeBreaksIt() {
    Transaction signed = TransactionSignatures.sign(LEVEL, tx(), tcert(tcaKey));
    assertThat(signed.getNonce().size()).isEqualTo(24);
    assertThat(validator.problem(signed)).isEmpty();
    assertThat(validator.problem(signed.toBuilder().setTxid("t2").build())).contains("Invalid Transaction Signature.");
    assertThat(validator.problem(signed.toBuilder().setSignature(ByteString.copyFromUtf8("junk")).build()))
        .contains("Invalid Transaction Signature.");
    // the ECA's root is trusted too, as the original's validator does
    assertThat(validator.problem(TransactionSignatures.sign(LEVEL, tx(), tcert(ecaKey)))).isEmpty();
  }

  @Test
  void missingOrUntrustedCertificatesAreRefusedWithTheOriginalsTexts() {
    Transaction signed = TransactionSignatures.sign(LEVEL, tx(), tcert(tcaKey));
    assertThat(validator.problem(tx())).contains("Missing Transaction Certificate.");
    assertThat(validator.problem(signed.toBuilder().clearSignature().build())).contains("Missing Transaction Signature.");
    KeyPair stranger = EcKeys.generate(LEVEL);
    assertThat(validator.problem(TransactionSignatures.sign(LEVEL, tx(), tcert(stranger)))).contains(
        "Certificate has not been signed by a trusted authority. [x509: certificate signed by unknown authority]");
    assertThat(validator.problem(signed.toBuilder().setCert(ByteString.copyFromUtf8("not DER")).build()).orElseThrow())
        .startsWith("Certificate has not been signed by a trusted authority. [x509: ");
  }

  @Test
  void theKeyStoreRoundTripsOwnerOnlyAndAHalfWrittenOneReadsAsAbsent(@TempDir Path dir) throws Exception {
    KeyPair member = EcKeys.generate(LEVEL);
    MemberCredentials m = new MemberCredentials("jim", LEVEL, (ECPrivateKey) member.getPrivate(),
        cert("jim", member, ecaKey), "chain".getBytes(), ecaRoot, tcaRoot, tcaRoot);
    KeyStoreFolder store = new KeyStoreFolder(dir.resolve("jim"));
    assertThat(store.load(LEVEL)).isEmpty();
    store.save(m);
    MemberCredentials read = store.load(LEVEL).orElseThrow();
    assertThat(read.enrolmentKey().getS()).isEqualTo(m.enrolmentKey().getS());
    assertThat(read.enrolmentCert()).isEqualTo(m.enrolmentCert());
    assertThat(read.pkiId()).isEqualTo(m.pkiId());
    assertThat(Files.getPosixFilePermissions(store.raw().resolve("enrollment.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(read.toString()).doesNotContain(read.enrolmentKey().getS().toString());
    Files.delete(store.raw().resolve("enrollment.cert"));
    assertThat(store.load(LEVEL)).isEmpty();
  }
}
