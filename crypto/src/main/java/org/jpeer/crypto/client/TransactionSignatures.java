package org.jpeer.crypto.client;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.Transaction;

/**
 * Signs transactions as the original's client does (§2.5: a 24-byte nonce, the TCert in
 * {@code cert}, an ECDSA DER signature by the TCert's key over the transaction with an empty
 * {@code signature}) and checks them as its validator does (§2.6), with its texts.
 */
public final class TransactionSignatures {
  static final int NONCE_BYTES = 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecurityLevel level;
  private final X509Certificate tcaRoot;
  private final X509Certificate ecaRoot;

  public TransactionSignatures(SecurityLevel level, X509Certificate tcaRoot, X509Certificate ecaRoot) {
    this.level = level;
    this.tcaRoot = tcaRoot;
    this.ecaRoot = ecaRoot;
  }

  public static Transaction sign(SecurityLevel level, Transaction unsigned, TCertKey tcert) {
    return sign(level, unsigned, tcert, nonce());
  }

  /** A fresh transaction nonce, 24 random bytes as the original's. */
  public static byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** As {@link #sign(SecurityLevel, Transaction, TCertKey)} with a nonce chosen before (a prepared binding). */
  public static Transaction sign(SecurityLevel level, Transaction unsigned, TCertKey tcert, byte[] nonce) {
    Transaction withCert = unsigned.toBuilder()
        .setNonce(ByteString.copyFrom(nonce))
        .setCert(ByteString.copyFrom(tcert.certDer()))
        .clearSignature()
        .build();
    byte[] signature = GoEcdsa.der(GoEcdsa.sign(level, tcert.key(), withCert.toByteArray()));
    return withCert.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
  }

  /** Why the validator refuses {@code tx}, or empty when its certificate and signature check out. */
  public Optional<String> problem(Transaction tx) {
    if (tx.getCert().isEmpty()) {
      return Optional.of("Missing Transaction Certificate.");
    }
    if (tx.getSignature().isEmpty()) {
      return Optional.of("Missing Transaction Signature.");
    }
    X509Certificate cert;
    try {
      cert = Certificates.parse(tx.getCert().toByteArray(), "the transaction's certificate");
    } catch (GeneralSecurityException e) {
      return Optional.of("Certificate has not been signed by a trusted authority. [x509: " + e.getMessage() + "]");
    }
    if (!Certificates.signedBy(cert, tcaRoot) && !Certificates.signedBy(cert, ecaRoot)) {
      return Optional.of(
          "Certificate has not been signed by a trusted authority. [x509: certificate signed by unknown authority]");
    }
    BigInteger[] rs = GoEcdsa.parseDer(tx.getSignature().toByteArray());
    byte[] unsigned = tx.toBuilder().clearSignature().build().toByteArray();
    if (rs == null || !(cert.getPublicKey() instanceof ECPublicKey key) || !GoEcdsa.verify(level, key, unsigned, rs[0], rs[1])) {
      return Optional.of("Invalid Transaction Signature.");
    }
    return Optional.empty();
  }
}
