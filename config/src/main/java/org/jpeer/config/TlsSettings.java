package org.jpeer.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code peer.tls.*} keys when {@code peer.tls.enabled} is true: TLS on the peer's gRPC server,
 * its event hub and its REST API, and on what the peer and its CLI dial.
 *
 * @param certFile {@code peer.tls.cert.file}: the server's certificate chain, PEM
 * @param keyFile {@code peer.tls.key.file}: its private key, PEM (PKCS#8, or the SEC1/PKCS#1 forms
 *     Go writes)
 * @param rootCertFile {@code peer.tls.rootcert.file}: the roots clients trust; when empty, the
 *     certificate file itself, which is what the original's clients trust
 * @param serverHostOverride {@code peer.tls.serverhostoverride}: the host name clients expect in the
 *     server's certificate instead of the one they dial; empty: the dialled host
 */
public record TlsSettings(Path certFile, Path keyFile, Optional<Path> rootCertFile, String serverHostOverride) {

  /** The file clients trust: {@code rootCertFile}, else the server's own certificate. */
  public Path trustedRoots() {
    return rootCertFile.orElse(certFile);
  }

  /** Empty when {@code peer.tls.enabled} is false (the file keys are then not read). */
  static Optional<TlsSettings> from(Settings s) {
    if (!s.bool("peer.tls.enabled")) {
      return Optional.empty();
    }
    Optional<Path> root = s.has("peer.tls.rootcert.file") && !s.string("peer.tls.rootcert.file").isBlank()
        ? Optional.of(s.path("peer.tls.rootcert.file"))
        : Optional.empty();
    return Optional.of(new TlsSettings(s.path("peer.tls.cert.file"), s.path("peer.tls.key.file"), root,
        s.string("peer.tls.serverhostoverride").trim()));
  }
}
