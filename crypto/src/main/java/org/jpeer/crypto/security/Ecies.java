package org.jpeer.crypto.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The original's ECIES (core/crypto/primitives/ecies), byte for byte, so that a Go client decrypts
 * what this encrypts and the other way round: an ephemeral key R on the recipient's curve; Z = the
 * x-coordinate of the shared point as unsigned big-endian <em>without</em> leading zeros; HKDF with
 * the configured hash over Z (no salt, no info) gives a 32-byte AES key, then a 32-byte MAC key;
 * AES-256-CFB with a random 16-byte IV in front; HMAC over IV and ciphertext. Output: R uncompressed
 * (0x04, X, Y), IV and ciphertext, tag.
 *
 * <p>Hand-written rather than BouncyCastle's IES because that one derives its keys differently (KDF2,
 * the point encoded in the derivation), which no Go client could read.
 */
public final class Ecies {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int IV = 16;

  private Ecies() {}

  public static byte[] encrypt(SecurityLevel level, ECPublicKey to, byte[] plain) {
    BigInteger n = level.order();
    BigInteger k = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), RANDOM);
    ECPoint r = level.domain().getG().multiply(k).normalize();
    ECPoint shared = EcKeys.point(level, to).multiply(k).normalize();
    if (shared.isInfinity()) {
      throw new IllegalArgumentException("invalid recipient key");
    }
    byte[][] keys = keys(level, shared.getAffineXCoord().toBigInteger());
    byte[] iv = new byte[IV];
    RANDOM.nextBytes(iv);
    byte[] body = new byte[IV + plain.length];
    System.arraycopy(iv, 0, body, 0, IV);
    cfb(true, keys[0], iv, plain, body, IV);
    byte[] tag = level.hmac(keys[1], body);
    byte[] rb = r.getEncoded(false);
    byte[] out = new byte[rb.length + body.length + tag.length];
    System.arraycopy(rb, 0, out, 0, rb.length);
    System.arraycopy(body, 0, out, rb.length, body.length);
    System.arraycopy(tag, 0, out, rb.length + body.length, tag.length);
    return out;
  }

  public static byte[] decrypt(SecurityLevel level, ECPrivateKey key, byte[] cipher) throws GeneralSecurityException {
    int fieldBytes = (level.bits() + 7) / 8;
    int hashLen = level.digest().getDigestSize();
    if (cipher.length == 0) {
      throw new GeneralSecurityException("Invalid ciphertext: empty");
    }
    int rLen =
        switch (cipher[0]) {
          case 2, 3 -> fieldBytes + 1;
          case 4 -> 2 * fieldBytes + 1;
          default -> throw new GeneralSecurityException("Invalid ciphertext. Invalid first byte. [" + cipher[0] + "]");
        };
    if (cipher.length < rLen + hashLen + 1) {
      throw new GeneralSecurityException("Invalid ciphertext len [First byte = " + cipher[0] + "]");
    }
    ECPoint r;
    try {
      r = level.domain().getCurve().decodePoint(Arrays.copyOfRange(cipher, 0, rLen));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("Invalid ephemeral PK");
    }
    ECPoint shared = r.multiply(key.getS()).normalize();
    if (shared.isInfinity()) {
      throw new GeneralSecurityException("Invalid ephemeral PK");
    }
    byte[][] keys = keys(level, shared.getAffineXCoord().toBigInteger());
    byte[] body = Arrays.copyOfRange(cipher, rLen, cipher.length - hashLen);
    byte[] tag = Arrays.copyOfRange(cipher, cipher.length - hashLen, cipher.length);
    if (!MessageDigest.isEqual(tag, level.hmac(keys[1], body))) {
      throw new GeneralSecurityException("Tag check failed");
    }
    if (body.length < IV) {
      throw new GeneralSecurityException("cipher text too short");
    }
    byte[] plain = new byte[body.length - IV];
    cfb(false, keys[0], Arrays.copyOfRange(body, 0, IV), Arrays.copyOfRange(body, IV, body.length), plain, 0);
    return plain;
  }

  private static byte[][] keys(SecurityLevel level, BigInteger zx) {
    byte[] z = BigIntegers.asUnsignedByteArray(zx); // no leading zeros, as Go's big.Int.Bytes()
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(level.digest());
    hkdf.init(new HKDFParameters(z, null, null));
    byte[] both = new byte[64];
    hkdf.generateBytes(both, 0, 64);
    return new byte[][] {Arrays.copyOfRange(both, 0, 32), Arrays.copyOfRange(both, 32, 64)};
  }

  private static void cfb(boolean encrypt, byte[] key, byte[] iv, byte[] in, byte[] out, int outOff) {
    CFBBlockCipher c = (CFBBlockCipher) CFBBlockCipher.newInstance(AESEngine.newInstance(), 128);
    c.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
    c.processBytes(in, 0, in.length, out, outOff);
  }
}
