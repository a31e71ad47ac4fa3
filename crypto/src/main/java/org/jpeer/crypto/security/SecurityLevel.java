package org.jpeer.crypto.security;

import java.math.BigInteger;
import java.util.Locale;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The curve and hash of {@code security.level} and {@code security.hashAlgorithm}, as the original's
 * primitives pick them: 256 is P-256 with SHA3-256 or SHA-256, 384 is P-384 with SHA3-384 or
 * SHA-384. Every signature, HMAC, key derivation and ECIES of the security layer uses this pair.
 *
 * @param bits 256 or 384
 * @param sha3 {@code SHA3} rather than {@code SHA2}
 */
public record SecurityLevel(int bits, boolean sha3) {
  public static final SecurityLevel DEFAULT = new SecurityLevel(256, true);

  public SecurityLevel {
    if (bits != 256 && bits != 384) {
      throw new IllegalArgumentException("Security level not supported [" + bits + "]: use 256 or 384");
    }
  }

  /** Reads the two settings, refusing what the original refuses with its texts. */
  public static SecurityLevel of(int bits, String hashAlgorithm) {
    String alg = hashAlgorithm.trim().toUpperCase(Locale.ROOT);
    if (!alg.equals("SHA2") && !alg.equals("SHA3")) {
      throw new IllegalArgumentException("Algorithm not supported [" + hashAlgorithm + "]: use SHA2 or SHA3");
    }
    return new SecurityLevel(bits, alg.equals("SHA3"));
  }

  /** The JCA name of the curve: {@code secp256r1} or {@code secp384r1}. */
  public String curveName() {
    return bits == 256 ? "secp256r1" : "secp384r1";
  }

  public ECDomainParameters domain() {
    X9ECParameters p = CustomNamedCurves.getByName(bits == 256 ? "P-256" : "P-384");
    return new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
  }

  public BigInteger order() {
    return domain().getN();
  }

  /** A fresh digest of the configured hash. */
  public Digest digest() {
    if (sha3) {
      return new SHA3Digest(bits);
    }
    return bits == 256 ? new SHA256Digest() : new SHA384Digest();
  }

  public byte[] hash(byte[] message) {
    Digest d = digest();
    d.update(message, 0, message.length);
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** HMAC with the configured hash (Go's {@code hmac.New(primitives.GetDefaultHash(), key)}). */
  public byte[] hmac(byte[] key, byte[]... parts) {
    HMac mac = new HMac(digest());
    mac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      mac.update(part, 0, part.length);
    }
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  @Override
  public String toString() {
    return bits + " " + (sha3 ? "SHA3" : "SHA2");
  }
}
