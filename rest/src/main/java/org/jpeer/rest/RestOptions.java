package org.jpeer.rest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * What the REST server needs from the peer's configuration.
 *
 * @param host the address to listen on ({@code rest.address}); {@code 0.0.0.0} for all interfaces
 * @param port the port; 0 picks a free one (see {@link RestServer#port()})
 * @param devMode {@code chaincode.mode = dev}: deploy needs a name instead of a path
 * @param maxRequestBytes request bodies above this are refused with HTTP 413
 * @param fileSystemPath {@code peer.fileSystemPath}; login tokens live in its {@code client/}
 * @param enrollmentIdPattern {@code rest.validPatterns.enrollmentID}
 * @param maxThreads the size of the request thread pool (queries block on chaincode)
 * @param tls HTTPS with this identity (the peer's {@code peer.tls.*}) instead of HTTP
 */
public record RestOptions(
    String host,
    int port,
    boolean devMode,
    int maxRequestBytes,
    Path fileSystemPath,
    Pattern enrollmentIdPattern,
    int maxThreads,
    Optional<SSLContext> tls) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_THREADS = 64;
  public static final Pattern DEFAULT_ENROLLMENT_ID_PATTERN = Pattern.compile("^\\w+$");

  public RestOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(fileSystemPath, "fileSystemPath");
    Objects.requireNonNull(enrollmentIdPattern, "enrollmentIdPattern");
    Objects.requireNonNull(tls, "tls");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("REST port " + port + " is out of range 0..65535");
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("REST maximum request size must be at least 1 byte, got " + maxRequestBytes);
    }
    if (maxThreads < 4) {
      throw new IllegalArgumentException("REST thread pool needs at least 4 threads, got " + maxThreads);
    }
  }

  /** The defaults for everything but where to listen, the chaincode mode and the peer's folder. */
  public static RestOptions of(String host, int port, boolean devMode, Path fileSystemPath) {
    return new RestOptions(
        host, port, devMode, DEFAULT_MAX_REQUEST_BYTES, fileSystemPath, DEFAULT_ENROLLMENT_ID_PATTERN, DEFAULT_MAX_THREADS,
        Optional.empty());
  }

  public RestOptions withMaxRequestBytes(int bytes) {
    return new RestOptions(host, port, devMode, bytes, fileSystemPath, enrollmentIdPattern, maxThreads, tls);
  }

  public RestOptions withEnrollmentIdPattern(Pattern pattern) {
    return new RestOptions(host, port, devMode, maxRequestBytes, fileSystemPath, pattern, maxThreads, tls);
  }

  public RestOptions withMaxThreads(int threads) {
    return new RestOptions(host, port, devMode, maxRequestBytes, fileSystemPath, enrollmentIdPattern, threads, tls);
  }

  public RestOptions withTls(Optional<SSLContext> context) {
    return new RestOptions(host, port, devMode, maxRequestBytes, fileSystemPath, enrollmentIdPattern, maxThreads, context);
  }
}
