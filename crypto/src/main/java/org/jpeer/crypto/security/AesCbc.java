package org.jpeer.crypto.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The original's {@code CBCPKCS7Encrypt}: AES-CBC, PKCS#7 padding, a random IV in front of the
 * ciphertext. Used for the TCert extensions (the TCert index, the enrolment id).
 */
public final class AesCbc {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AesCbc() {}

  public static byte[] encrypt(byte[] key, byte[] plain) {
    try {
      byte[] iv = new byte[16];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding"); // the JDK's name for PKCS#7 on 16-byte blocks
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] body = c.doFinal(plain);
      byte[] out = Arrays.copyOf(iv, 16 + body.length);
      System.arraycopy(body, 0, out, 16, body.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is missing from the JDK", e);
    }
  }

  public static byte[] decrypt(byte[] key, byte[] cipher) throws GeneralSecurityException {
    if (cipher.length < 32 || cipher.length % 16 != 0) {
      throw new GeneralSecurityException("ciphertext is not a multiple of the block size");
    }
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(cipher, 0, 16));
    return c.doFinal(cipher, 16, cipher.length - 16);
  }
}
