package org.jpeer.membersrvc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.SecurityLevel;

/**
 * One certificate authority (eca, tca or tlsca): its key pair and self-signed root, read from
 * {@code <name>.priv} / {@code <name>.cert} in the state folder or made on the first start, and the
 * certificates it signs. Certificates look as the original's (Go's x509 with its template):
 * subject CN plus the configured organisation and country, valid from a minute ago for 90 days,
 * subject key id 01020304, ECDSA with SHA-384, basic constraints marked critical.
 */
final class CertificateAuthority {
  /** Go's x509.KeyUsage bits. */
  static final int DIGITAL_SIGNATURE = 1;
  static final int DATA_ENCIPHERMENT = 8;
  static final int CERT_SIGN = 32;

  static final Duration VALIDITY = Duration.ofDays(90);
  private static final byte[] KEY_ID = {1, 2, 3, 4};
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An extension the original adds: its OID, criticality and raw value. */
  record Ext(String oid, boolean critical, byte[] value) {}

  private final String name;
  private final SecurityLevel level;
  private final String organization;
  private final String country;
  private final ECPrivateKey key;
  private final X509Certificate root;
  private final byte[] rootDer;

  private CertificateAuthority(
      String name, SecurityLevel level, String organization, String country, ECPrivateKey key, X509Certificate root) {
    this.name = name;
    this.level = level;
    this.organization = organization;
    this.country = country;
    this.key = key;
    this.root = root;
    try {
      this.rootDer = root.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static CertificateAuthority openOrCreate(
      Path dir, String name, SecurityLevel level, String organization, String country) {
    Path privFile = dir.resolve(name + ".priv");
    Path certFile = dir.resolve(name + ".cert");
    if (Files.exists(privFile) != Files.exists(certFile)) {
      Path missing = Files.exists(privFile) ? certFile : privFile;
      throw new IllegalStateException(
          "the " + name + " key files in " + dir + " are incomplete: " + missing.getFileName()
              + " is missing; restore it, or remove both to start a new " + name);
    }
    try {
      if (Files.exists(privFile)) {
        ECPrivateKey key = EcKeys.parseSec1(EcKeys.unpem(Files.readString(privFile), EcKeys.PRIVATE_PEM));
        X509Certificate cert = parse(EcKeys.unpem(Files.readString(certFile), "CERTIFICATE"));
        return new CertificateAuthority(name, level, organization, country, key, cert);
      }
      KeyPair pair = EcKeys.generate(level);
      ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
      byte[] der =
          sign(name, key, null, organization, country, name, BigInteger.ONE, (ECPublicKey) pair.getPublic(),
              DIGITAL_SIGNATURE | CERT_SIGN, List.of(), Instant.now());
      StateFiles.writeOwnerOnly(privFile, EcKeys.pem(EcKeys.PRIVATE_PEM, EcKeys.sec1(key)));
      StateFiles.writeOwnerOnly(certFile, EcKeys.pem("CERTIFICATE", der));
      return new CertificateAuthority(name, level, organization, country, key, parse(der));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the " + name + " key files in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the " + name + " key files in " + dir + " are unreadable (" + e.getMessage() + "); restore or remove both", e);
    }
  }

  String name() {
    return name;
  }

  byte[] rootDer() {
    return rootDer.clone();
  }

  ECPrivateKey key() {
    return key;
  }

  /** Issues a certificate valid from a minute ago for 90 days. */
  byte[] issue(String commonName, BigInteger serial, ECPublicKey subject, int usage, List<Ext> extensions) {
    return sign(name, key, X500Name.getInstance(root.getSubjectX500Principal().getEncoded()), organization, country,
        commonName, serial, subject, usage, extensions, Instant.now());
  }

  IssuedCertificate keep(byte[] der, int usage) {
    return new IssuedCertificate(usage, der, level.hash(der));
  }

  static BigInteger randomSerial() {
    return new BigInteger(127, RANDOM).setBit(126); // positive, 16 bytes, unique in practice
  }

  /** Signs with {@code key} for {@code issuer}, or a self-signed CA certificate when it is null. */
  private static byte[] sign(
      String caName, ECPrivateKey key, X500Name issuer, String organization, String country, String commonName,
      BigInteger serial, ECPublicKey subject, int usage, List<Ext> extensions, Instant now) {
    boolean isCa = issuer == null;
    X500NameBuilder dn = new X500NameBuilder(BCStyle.INSTANCE);
    // Go writes C, O, CN in this order
    dn.addRDN(BCStyle.C, country);
    dn.addRDN(BCStyle.O, organization);
    dn.addRDN(BCStyle.CN, commonName);
    Instant notBefore = now.minus(Duration.ofMinutes(1));
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              isCa ? dn.build() : issuer,
              serial,
              Date.from(notBefore),
              Date.from(notBefore.plus(VALIDITY)),
              dn.build(),
              subject);
      b.addExtension(Extension.keyUsage, true, new KeyUsage(bcKeyUsage(usage)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(KEY_ID));
      if (!isCa) {
        b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(KEY_ID));
      }
      for (Ext e : extensions) {
        b.addExtension(new ASN1ObjectIdentifier(e.oid()), e.critical(), e.value());
      }
      return b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(key)).getEncoded();
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("the " + caName + " cannot sign a certificate for " + commonName, e);
    }
  }

  private static int bcKeyUsage(int goBits) {
    int bc = 0;
    if ((goBits & DIGITAL_SIGNATURE) != 0) {
      bc |= KeyUsage.digitalSignature;
    }
    if ((goBits & DATA_ENCIPHERMENT) != 0) {
      bc |= KeyUsage.dataEncipherment;
    }
    if ((goBits & CERT_SIGN) != 0) {
      bc |= KeyUsage.keyCertSign;
    }
    return bc;
  }

  static X509Certificate parse(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
  }
}
