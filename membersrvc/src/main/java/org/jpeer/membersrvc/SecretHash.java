package org.jpeer.membersrvc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Enrolment secrets and challenges at rest: PBKDF2-HMAC-SHA256 with a random salt, written as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}. The original keeps them in clear in its SQLite
 * file; here a copy of the state folder gives nobody a secret.
 */
final class SecretHash {
  // ~20 ms per check on this machine's cores: a user's first start hashes ~45 secrets once
  static final int ITERATIONS = 40_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretHash() {}

  static String of(byte[] secret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(secret, salt, ITERATIONS));
  }

  static boolean matches(String stored, byte[] secret) {
    if (stored == null || stored.isEmpty()) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] want = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(want, derive(secret, salt, Integer.parseInt(parts[1])));
  }

  private static byte[] derive(byte[] secret, byte[] salt, int iterations) {
    // PBEKeySpec takes chars: the secret's bytes as ISO-8859-1 keep every byte value distinct
    char[] chars = new String(secret, StandardCharsets.ISO_8859_1).toCharArray();
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(chars, salt, iterations, 256))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from the JDK", e);
    }
  }
}
