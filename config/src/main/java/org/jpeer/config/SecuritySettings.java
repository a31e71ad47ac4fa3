package org.jpeer.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code security.*} and {@code peer.pki.*} keys the peer, the CLI and devops read.
 *
 * @param level {@code security.level}, 256 or 384 (checked where the curve is chosen)
 * @param hashAlgorithm {@code security.hashAlgorithm}, SHA3 or SHA2
 * @param tcertBatchSize {@code security.tcert.batch.size}: TCerts fetched per request to the TCA
 * @param ecaAddress {@code peer.pki.eca.paddr}; the TCA's and TLS CA's likewise
 * @param pkiTls {@code peer.pki.tls.enabled}: the membership service is dialled with TLS
 * @param pkiTlsRootCert {@code peer.pki.tls.rootcert.file}: the roots that service's certificate must
 *     chain to; empty: the system's default roots, as the original
 * @param pkiTlsServerHostOverride {@code peer.pki.tls.serverhostoverride}: the host name expected in
 *     that certificate instead of the dialled one; empty: the dialled host
 */
public record SecuritySettings(
    boolean enabled,
    boolean privacy,
    String enrollId,
    String enrollSecret,
    int level,
    String hashAlgorithm,
    int tcertBatchSize,
    String ecaAddress,
    String tcaAddress,
    String tlscaAddress,
    boolean pkiTls,
    Optional<Path> pkiTlsRootCert,
    String pkiTlsServerHostOverride) {

  static SecuritySettings from(Settings s) {
    boolean enabled = s.bool("security.enabled");
    if (!enabled) {
      // as the original: with security off none of the other keys is read, so none can stop a start
      return new SecuritySettings(false, s.bool("security.privacy"), s.string("security.enrollID"),
          s.string("security.enrollSecret"), 256, "SHA3", 200, "", "", "", false, Optional.empty(), "");
    }
    boolean pkiTls = s.bool("peer.pki.tls.enabled");
    return new SecuritySettings(
        true,
        s.bool("security.privacy"),
        s.string("security.enrollID"),
        s.string("security.enrollSecret"),
        s.intIn("security.level", 0, 100_000),
        s.string("security.hashAlgorithm"),
        s.intIn("security.tcert.batch.size", 1, 1_000),
        s.string("peer.pki.eca.paddr"),
        s.string("peer.pki.tca.paddr"),
        s.string("peer.pki.tlsca.paddr"),
        pkiTls,
        pkiTls && s.has("peer.pki.tls.rootcert.file") && !s.string("peer.pki.tls.rootcert.file").isBlank()
            ? Optional.of(s.path("peer.pki.tls.rootcert.file"))
            : Optional.empty(),
        pkiTls && s.has("peer.pki.tls.serverhostoverride") ? s.string("peer.pki.tls.serverhostoverride").trim() : "");
  }

  // the enrolment secret must not reach a log line through the generated toString
  @Override
  public String toString() {
    return "SecuritySettings[enabled=" + enabled + ", enrollId=" + enrollId + ", level=" + level + "]";
  }
}
