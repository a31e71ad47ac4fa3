package org.jpeer.crypto.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA as the original signs: over the configured hash of the message, with a random k, the hash
 * cut to the order's bit length (Go's {@code ecdsa.Sign}). The signature is the pair (r, s), written
 * either as DER {@code SEQUENCE {r, s}} (transactions, peer messages) or as the decimal text of each
 * integer (membership-service requests, Go's {@code big.Int.MarshalText}).
 */
public final class GoEcdsa {
  private static final SecureRandom RANDOM = new SecureRandom();

  private GoEcdsa() {}

  /** (r, s) over hash(message). */
  public static BigInteger[] sign(SecurityLevel level, ECPrivateKey key, byte[] message) {
    ECDSASigner signer = new ECDSASigner();
    signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(key.getS(), level.domain()), RANDOM));
    return signer.generateSignature(level.hash(message));
  }

  public static boolean verify(SecurityLevel level, ECPublicKey key, byte[] message, BigInteger r, BigInteger s) {
    if (r.signum() <= 0 || s.signum() <= 0) {
      return false;
    }
    try {
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, new ECPublicKeyParameters(EcKeys.point(level, key), level.domain()));
      return verifier.verifySignature(level.hash(message), r, s);
    } catch (IllegalArgumentException e) {
      return false; // a point not on the level's curve
    }
  }

  public static byte[] der(BigInteger[] rs) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(rs[1]));
    try {
      return new DERSequence(v).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** (r, s) of a DER signature, or {@code null} when it is not one. */
  public static BigInteger[] parseDer(byte[] der) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(der);
      if (seq.size() != 2) {
        return null;
      }
      return new BigInteger[] {
        ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()
      };
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Go's {@code big.Int.MarshalText}: the decimal digits. */
  public static byte[] text(BigInteger n) {
    return n.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Go's {@code big.Int.UnmarshalText} as the original calls it, ignoring the error: anything that
   * is not a decimal number reads as zero, which no signature verifies with.
   */
  public static BigInteger parseText(byte[] text) {
    String s = new String(text, StandardCharsets.US_ASCII);
    if (s.isEmpty() || s.length() > 400 || !s.matches("[+-]?[0-9]+")) {
      return BigInteger.ZERO;
    }
    return new BigInteger(s);
  }
}
