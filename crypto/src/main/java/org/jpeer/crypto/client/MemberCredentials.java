package org.jpeer.crypto.client;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;
import org.jpeer.crypto.security.SecurityLevel;

/**
 * What an enrolled member (a peer, a validator or a user) holds: its enrolment signing key and
 * certificate, the chain key, and the roots of the three CAs it trusts.
 *
 * @param enrollId the enrolment id
 * @param chainKeyPem {@code pkchain}: the chain's private ECIES key in PEM for validators, the public one otherwise
 */
public record MemberCredentials(
    String enrollId,
    SecurityLevel level,
    ECPrivateKey enrolmentKey,
    X509Certificate enrolmentCert,
    byte[] chainKeyPem,
    X509Certificate ecaRoot,
    X509Certificate tcaRoot,
    X509Certificate tlscaRoot) {

  public MemberCredentials {
    Objects.requireNonNull(enrollId, "enrollId");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(enrolmentKey, "enrolmentKey");
    Objects.requireNonNull(enrolmentCert, "enrolmentCert");
    Objects.requireNonNull(ecaRoot, "ecaRoot");
    Objects.requireNonNull(tcaRoot, "tcaRoot");
    Objects.requireNonNull(tlscaRoot, "tlscaRoot");
    chainKeyPem = chainKeyPem.clone();
  }

  @Override
  public byte[] chainKeyPem() {
    return chainKeyPem.clone();
  }

  /** The node id of the original ({@code pkiID}): the configured hash of the enrolment certificate. */
  public byte[] pkiId() {
    return level.hash(Certificates.der(enrolmentCert));
  }

  // keys must not reach a log line through a record's generated toString
  @Override
  public String toString() {
    return "MemberCredentials[" + enrollId + "]";
  }
}
