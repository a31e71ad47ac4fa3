package org.jpeer.config;

/**
 * The {@code security.*} and {@code peer.pki.*} keys the peer, the CLI and devops read.
 *
 * @param level {@code security.level}, 256 or 384 (checked where the curve is chosen)
 * @param hashAlgorithm {@code security.hashAlgorithm}, SHA3 or SHA2
 * @param tcertBatchSize {@code security.tcert.batch.size}: TCerts fetched per request to the TCA
 * @param ecaAddress {@code peer.pki.eca.paddr}; the TCA's and TLS CA's likewise
 * @param pkiTls {@code peer.pki.tls.enabled}
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
    boolean pkiTls) {

  static SecuritySettings from(Settings s) {
    boolean enabled = s.bool("security.enabled");
    if (!enabled) {
      // as the original: with security off none of the other keys is read, so none can stop a start
      return new SecuritySettings(false, s.bool("security.privacy"), s.string("security.enrollID"),
          s.string("security.enrollSecret"), 256, "SHA3", 200, "", "", "", false);
    }
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
        s.bool("peer.pki.tls.enabled"));
  }

  // the enrolment secret must not reach a log line through the generated toString
  @Override
  public String toString() {
    return "SecuritySettings[enabled=" + enabled + ", enrollId=" + enrollId + ", level=" + level + "]";
  }
}
