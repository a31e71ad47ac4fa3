package org.jpeer.crypto.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Optional;

/**
 * Whether a private key belongs to a certificate: the JDK takes a TLS identity whose key is not the
 * certificate's and then fails every handshake, so the peer and the membership service check at start.
 */
public final class KeyPairCheck {
  private KeyPairCheck() {}

  /** True or false for EC, RSA and Ed25519 keys; empty for algorithms it cannot probe. */
  public static Optional<Boolean> belongTogether(PrivateKey key, Certificate cert) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return Optional.empty();
    }
    try {
      byte[] probe = "jpeer key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return Optional.of(verifier.verify(signature));
    } catch (GeneralSecurityException e) {
      return Optional.of(false); // a key of another curve or size than the certificate's
    }
  }
}
