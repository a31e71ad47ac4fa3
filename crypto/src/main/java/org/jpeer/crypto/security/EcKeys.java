package org.jpeer.crypto.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * EC keys in the encodings the original writes: PKIX DER public keys on the wire, SEC1 private keys
 * in PEM blocks typed {@code ECDSA PRIVATE KEY}, public keys typed {@code ECDSA PUBLIC KEY}. Keys are
 * the JDK's ({@link ECPublicKey}, {@link java.security.interfaces.ECPrivateKey}), so certificates and TLS take them as they are.
 */
public final class EcKeys {
  public static final String PRIVATE_PEM = "ECDSA PRIVATE KEY";
  public static final String PUBLIC_PEM = "ECDSA PUBLIC KEY";

  private static final SecureRandom RANDOM = new SecureRandom();

  private EcKeys() {}

  public static KeyPair generate(SecurityLevel level) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(level.curveName()), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make " + level.curveName() + " keys", e);
    }
  }

  /** Parses a PKIX (SubjectPublicKeyInfo) DER public key, which must be an EC key. */
  public static ECPublicKey parsePublic(byte[] pkixDer) throws GeneralSecurityException {
    if (!(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pkixDer)) instanceof ECPublicKey k)) {
      throw new GeneralSecurityException("not an EC public key");
    }
    return k;
  }

  /** The public key for a point given by its coordinates, on the curve of {@code like}. */
  public static ECPublicKey publicKey(ECParameterSpec params, BigInteger x, BigInteger y) throws GeneralSecurityException {
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
  }

  public static java.security.interfaces.ECPrivateKey privateKey(ECParameterSpec params, BigInteger d)
      throws GeneralSecurityException {
    return (java.security.interfaces.ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, params));
  }

  /** The public key d·G of a private key. */
  public static ECPublicKey publicOf(SecurityLevel level, java.security.interfaces.ECPrivateKey key)
      throws GeneralSecurityException {
    org.bouncycastle.math.ec.ECPoint q = level.domain().getG().multiply(key.getS()).normalize();
    return publicKey(key.getParams(), q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
  }

  /** The curve point of a JDK public key, for BouncyCastle's arithmetic. */
  public static org.bouncycastle.math.ec.ECPoint point(SecurityLevel level, ECPublicKey key) {
    ECCurve curve = level.domain().getCurve();
    return curve.createPoint(key.getW().getAffineX(), key.getW().getAffineY());
  }

  /** SEC1 DER ({@code ECPrivateKey}, with the curve named), as Go's {@code x509.MarshalECPrivateKey}. */
  public static byte[] sec1(java.security.interfaces.ECPrivateKey key) {
    try {
      // the JDK's PKCS#8 keeps the curve in the algorithm identifier only; SEC1 as Go writes it names
      // the curve and carries the public point inside
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.ASN1ObjectIdentifier curve =
          org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
      X9ECParameters x9 = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
      byte[] q = x9.getG().multiply(key.getS()).normalize().getEncoded(false);
      return new ECPrivateKey(x9.getN().bitLength(), key.getS(), new org.bouncycastle.asn1.DERBitString(q), curve)
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an EC private key", e);
    }
  }

  /** Reads SEC1 DER back (the curve must be named P-256 or P-384). */
  public static java.security.interfaces.ECPrivateKey parseSec1(byte[] der) throws GeneralSecurityException {
    try {
      ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
      X962Parameters params = X962Parameters.getInstance(sec1.getParametersObject());
      PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), sec1);
      return (java.security.interfaces.ECPrivateKey)
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("not an EC private key: " + e.getMessage(), e);
    }
  }

  public static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** The DER of the first PEM block, which must have the given type. */
  public static byte[] unpem(String text, String type) throws GeneralSecurityException {
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o = r.readPemObject();
      if (o == null || !o.getType().equals(type)) {
        throw new GeneralSecurityException("expected a PEM block of type " + type);
      }
      return o.getContent();
    } catch (IOException e) {
      throw new GeneralSecurityException("malformed PEM: " + e.getMessage(), e);
    }
  }

  /** Whether the key lies on the curve of the level (P-256 or P-384). */
  public static boolean onCurve(SecurityLevel level, ECPublicKey key) {
    X9ECParameters p = CustomNamedCurves.getByName(level.bits() == 256 ? "P-256" : "P-384");
    return key.getParams().getOrder().equals(p.getN());
  }
}
