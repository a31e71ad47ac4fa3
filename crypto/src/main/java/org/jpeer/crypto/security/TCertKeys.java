package org.jpeer.crypto.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The key derivation of transaction certificates (§2.7 of the security reference), shared by the
 * TCA, which derives a TCert's public key from the owner's enrolment key, and the owner, which
 * derives the matching private key:
 *
 * <ul>
 *   <li>extension key = HMAC(kdfKey, 0x01) cut to 32 bytes: encrypts the TCert index (AES-CBC) into
 *       the critical extension 1.2.3.4.5.6.7;
 *   <li>expansion key = HMAC(kdfKey, 0x02); k = HMAC(expansion key, index) mod (n - 1) + 1;
 *   <li>TCert public key = enrolment public key + k·G; private key = enrolment key + k mod n.
 * </ul>
 */
public final class TCertKeys {
  /** The 16 bytes of 0xFF the original appends to each TCert index and enrolment id before encrypting. */
  public static final byte[] PADDING = filled(16);

  private TCertKeys() {}

  public static byte[] extensionKey(SecurityLevel level, byte[] kdfKey) {
    return Arrays.copyOf(level.hmac(kdfKey, new byte[] {1}), 32);
  }

  public static BigInteger k(SecurityLevel level, byte[] kdfKey, byte[] tcertIndex) {
    byte[] expansion = level.hmac(kdfKey, new byte[] {2});
    BigInteger n = level.order();
    return new BigInteger(1, level.hmac(expansion, tcertIndex)).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
  }

  public static ECPublicKey publicKey(SecurityLevel level, ECPublicKey enrolment, BigInteger k)
      throws GeneralSecurityException {
    ECPoint p = EcKeys.point(level, enrolment).add(level.domain().getG().multiply(k)).normalize();
    return EcKeys.publicKey(enrolment.getParams(), p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
  }

  public static ECPrivateKey privateKey(SecurityLevel level, ECPrivateKey enrolment, BigInteger k)
      throws GeneralSecurityException {
    return EcKeys.privateKey(enrolment.getParams(), enrolment.getS().add(k).mod(level.order()));
  }

  /** The TCert index hidden in extension 1.2.3.4.5.6.7, with its padding removed. */
  public static byte[] decryptIndex(SecurityLevel level, byte[] kdfKey, byte[] extension) throws GeneralSecurityException {
    byte[] padded = AesCbc.decrypt(extensionKey(level, kdfKey), extension);
    if (padded.length < PADDING.length
        || !Arrays.equals(padded, padded.length - PADDING.length, padded.length, PADDING, 0, PADDING.length)) {
      throw new GeneralSecurityException("TCert index without its padding: not this owner's TCert");
    }
    // the original derives k from the index with its padding, so the padding stays
    return padded;
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0xFF);
    return b;
  }
}
