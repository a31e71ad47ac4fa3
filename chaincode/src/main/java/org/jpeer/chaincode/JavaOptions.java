package org.jpeer.chaincode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How JAVA chaincode runs in network mode.
 *
 * @param shimJar the shim runtime this peer provides to thin chaincode jars (jpeer key
 *     {@code chaincode.java.shimjar}; empty: found beside the peer, see {@link ShimRuntime#locate})
 * @param jvmOptions options of the chaincode's JVM, local process and Docker container alike
 *     (jpeer key {@code chaincode.java.jvmoptions})
 * @param unixSocket the Unix domain socket the peer serves chaincode streams on besides
 *     {@code peer.address} (jpeer key {@code chaincode.java.unixsocket}); thin jars started by the
 *     local-process runtime dial it, since they run jpeer's shim runtime, which can
 */
public record JavaOptions(Optional<Path> shimJar, List<String> jvmOptions, Optional<Path> unixSocket) {

  /**
   * Measured with example02 under saturating load (docs/PERFORMANCE.md, "One peer: memory, deploy
   * size, warm-up"): a chaincode JVM left to its defaults sizes its heap from the machine and
   * peaked at 220-340 MB here; with these, ~95 MB at the same throughput. Adding
   * {@code -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1} (C1 only) gives ~66 MB and a faster first
   * five seconds, but ~25 % less once warm, so it is not the default.
   */
  public static final String DEFAULT_JVM_OPTIONS = "-XX:+UseSerialGC -Xms4m -Xmx32m -Xss256k "
      + "-XX:MaxMetaspaceSize=48m -XX:ReservedCodeCacheSize=32m -XX:CICompilerCount=2 "
      + "-XX:MaxDirectMemorySize=32m";

  public JavaOptions {
    Objects.requireNonNull(shimJar, "shimJar");
    Objects.requireNonNull(unixSocket, "unixSocket");
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** Options without a Unix socket: launched chaincode dials {@code peer.address}. */
  public JavaOptions(Optional<Path> shimJar, List<String> jvmOptions) {
    this(shimJar, jvmOptions, Optional.empty());
  }

  public JavaOptions withUnixSocket(Optional<Path> socket) {
    return new JavaOptions(shimJar, jvmOptions, socket);
  }

  /** The gRPC target of {@code socket}, as jpeer's shim takes it in {@code -a}. */
  public static String target(Path socket) {
    return "unix://" + socket.toAbsolutePath();
  }

  public static JavaOptions defaults() {
    return new JavaOptions(ShimRuntime.locate(Optional.empty()), words(DEFAULT_JVM_OPTIONS));
  }

  /** From the two keys' text: a blank shim jar means "find it", blank options mean none. */
  public static JavaOptions of(String shimJar, String jvmOptions) {
    Optional<Path> configured = shimJar == null || shimJar.isBlank() ? Optional.empty()
        : Optional.of(Path.of(shimJar.trim()).toAbsolutePath().normalize());
    return new JavaOptions(ShimRuntime.locate(configured), words(jvmOptions == null ? "" : jvmOptions));
  }

  /** White-space separated options, as a shell splits an unquoted variable. */
  static List<String> words(String options) {
    List<String> out = new ArrayList<>();
    for (String w : options.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
