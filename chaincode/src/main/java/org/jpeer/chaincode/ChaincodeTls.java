package org.jpeer.chaincode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How launched chaincode dials a peer that serves TLS: the original's environment
 * ({@code CORE_PEER_TLS_ENABLED=true}, {@code CORE_PEER_TLS_CERT_FILE} the roots to trust,
 * {@code CORE_PEER_TLS_SERVERHOSTOVERRIDE} the name to expect) and, for Java, the argument
 * {@code " -s"}.
 *
 * @param rootCertFile the PEM roots the chaincode trusts
 * @param serverHostOverride the server name to expect; empty: the dialled host
 */
public record ChaincodeTls(Path rootCertFile, String serverHostOverride) {
  public ChaincodeTls {
    Objects.requireNonNull(rootCertFile, "rootCertFile");
    Objects.requireNonNull(serverHostOverride, "serverHostOverride");
  }
}
