package org.jpeer.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away certificate authority for TLS tests: PEM files as an operator would have them, a CA
 * certificate and server certificates (EC P-256) it signs for {@code 127.0.0.1} and {@code localhost}
 * and any other names.
 */
public final class TestCertificates {
  private final Path dir;
  private final KeyPair caKeys;
  private final X500Name caName;
  private final Path caCert;
  private long serial = 1;

  private TestCertificates(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      this.dir = dir;
      this.caKeys = keyPair();
      this.caName = new X500Name("CN=" + name);
      org.bouncycastle.cert.X509v3CertificateBuilder ca = builder(caName, caName, caKeys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      this.caCert = dir.resolve(name + "-ca.pem");
      Files.writeString(caCert, pem(ca.build(signer(caKeys))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new CA whose files go into {@code dir}. */
  public static TestCertificates authority(Path dir, String name) {
    return new TestCertificates(dir, name);
  }

  /** The CA's certificate (PEM): what clients trust. */
  public Path caCert() {
    return caCert;
  }

  /** What a client that trusts this CA only uses for HTTPS. */
  public javax.net.ssl.SSLContext clientContext() {
    try (java.io.InputStream in = Files.newInputStream(caCert)) {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A server's certificate (with the CA's after it) and its key, PKCS#8 and in the SEC1 form Go's
   * tools and {@code openssl ecparam -genkey} write.
   */
  public record Server(Path certFile, Path keyFile, Path sec1KeyFile) {}

  /** A server certificate for 127.0.0.1, localhost and {@code moreNames} (DNS names). */
  public Server server(String name, String... moreNames) {
    try {
      KeyPair keys = keyPair();
      List<GeneralName> names = new java.util.ArrayList<>(List.of(
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")));
      for (String n : moreNames) {
        names.add(new GeneralName(GeneralName.dNSName, n));
      }
      org.bouncycastle.cert.X509v3CertificateBuilder b = builder(caName, new X500Name("CN=" + name), keys)
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(new GeneralName[0])))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + ".key");
      Files.writeString(cert, pem(b.build(signer(caKeys))) + Files.readString(caCert));
      Files.writeString(key, pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())));
      // what Go's x509.MarshalECPrivateKey writes: SEC1 with the curve's name and the public key
      Path sec1 = dir.resolve(name + "-sec1.key");
      org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey sec1Key = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
          ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
          new org.bouncycastle.asn1.DERBitString(spki.getPublicKeyData().getBytes()),
          org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1);
      Files.writeString(sec1, pem(new PemObject("EC PRIVATE KEY", sec1Key.getEncoded())));
      return new Server(cert, key, sec1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static ContentSigner signer(KeyPair keys) throws org.bouncycastle.operator.OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
  }

  private static String pem(X509CertificateHolder cert) throws IOException {
    return pem(new PemObject("CERTIFICATE", cert.getEncoded()));
  }

  private static String pem(PemObject o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
