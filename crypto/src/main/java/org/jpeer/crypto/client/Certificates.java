package org.jpeer.crypto.client;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** DER and PEM of X.509 certificates, with failures as checked exceptions that name the certificate. */
public final class Certificates {
  private Certificates() {}

  public static X509Certificate parse(byte[] der, String what) throws GeneralSecurityException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new GeneralSecurityException(what + " is not an X.509 certificate (" + e.getMessage() + ")", e);
    }
  }

  public static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate cannot be encoded again", e);
    }
  }

  /** Whether {@code cert} is signed by {@code root}'s key. */
  public static boolean signedBy(X509Certificate cert, X509Certificate root) {
    try {
      cert.verify(root.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
