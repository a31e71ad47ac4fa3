package org.jpeer.chaincode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Chaincode configuration, built by the peer from core.yaml keys:
 *
 * <ul>
 *   <li>{@code mode} — {@code chaincode.mode}: {@code net} (the peer launches chaincode) or
 *       {@code dev} (the user starts it; nothing is launched).
 *   <li>{@code peerAddress} — {@code peer.address}: where launched chaincode dials back.
 *   <li>{@code fileSystemPath} — {@code peer.fileSystemPath}; process runtime files live under
 *       {@code <fileSystemPath>/chaincode/<name>}.
 *   <li>{@code startupTimeout} — {@code chaincode.startuptimeout} (ms): wait for REGISTER after a
 *       launch, and for the answer to READY.
 *   <li>{@code deployTimeout} — {@code chaincode.deploytimeout} (ms): wait for the answer to INIT.
 *   <li>{@code executeTimeout} — {@code chaincode.executetimeout} (jpeer key, default 30s): wait
 *       for the answer to TRANSACTION, QUERY and chaincode-to-chaincode calls.
 *   <li>{@code keepalive} — {@code chaincode.keepalive} (s): idle time after which the peer sends
 *       KEEPALIVE; zero is off.
 *   <li>{@code runtime} — {@code chaincode.runtime} (jpeer key): {@code process} (default) or
 *       {@code docker}.
 *   <li>{@code dockerEndpoint} — {@code vm.endpoint}; {@code baseImage} —
 *       {@code chaincode.java.baseimage} (jpeer key), the image Java chaincode images build on;
 *       {@code networkMode} — {@code vm.docker.hostConfig.NetworkMode} (empty means host);
 *       {@code memoryBytes} — {@code vm.docker.hostConfig.Memory} (0 = no limit).
 *   <li>{@code golang} — how GOLANG chaincode is packaged and built ({@link GoOptions}).
 *   <li>{@code java} — how JAVA chaincode runs: the shim runtime and JVM options ({@link JavaOptions}).
 *   <li>{@code tls} — with {@code peer.tls.enabled}: what launched chaincode trusts when it dials
 *       the peer ({@link ChaincodeTls}).
 *   <li>{@code vmNamePrefix} — {@code <peer.networkId>-<peer.id>} (or whichever is non-empty):
 *       prefix of image and container names.
 * </ul>
 */
public record ChaincodeOptions(Mode mode, String peerAddress, Path fileSystemPath,
    Duration startupTimeout, Duration deployTimeout, Duration executeTimeout, Duration keepalive,
    RuntimeKind runtime, String dockerEndpoint, String baseImage, String networkMode,
    long memoryBytes, String vmNamePrefix, int maxMessageBytes, GoOptions golang, JavaOptions java,
    Optional<ChaincodeTls> tls) {

  public enum Mode { NET, DEV }

  public enum RuntimeKind { PROCESS, DOCKER }

  public static final String DEFAULT_BASE_IMAGE = "jpeer/javaenv:latest";

  public ChaincodeOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(fileSystemPath, "fileSystemPath");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(deployTimeout, "deployTimeout");
    Objects.requireNonNull(executeTimeout, "executeTimeout");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(dockerEndpoint, "dockerEndpoint");
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(networkMode, "networkMode");
    Objects.requireNonNull(vmNamePrefix, "vmNamePrefix");
    Objects.requireNonNull(golang, "golang");
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(tls, "tls");
    for (Duration d : new Duration[] {startupTimeout, deployTimeout, executeTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("chaincode timeouts must be positive, got " + d);
      }
    }
  }

  /** The defaults of core.yaml for a peer whose chaincode dials {@code peerAddress}. */
  public static ChaincodeOptions defaults(Path fileSystemPath, String peerAddress) {
    return new ChaincodeOptions(Mode.NET, peerAddress, fileSystemPath, Duration.ofMillis(300_000),
        Duration.ofMillis(30_000), Duration.ofMillis(30_000), Duration.ZERO, RuntimeKind.PROCESS,
        "unix:///var/run/docker.sock", DEFAULT_BASE_IMAGE, "host", 2_147_483_648L, "dev-jdoe", 4 * 1024 * 1024, GoOptions.defaults(),
        JavaOptions.defaults(), Optional.empty());
  }

  public ChaincodeOptions withMode(Mode m) {
    return new ChaincodeOptions(m, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  public ChaincodeOptions withRuntime(RuntimeKind r, String endpoint) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, r, endpoint, baseImage, networkMode, memoryBytes, vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  public ChaincodeOptions withTimeouts(Duration startup, Duration deploy, Duration execute) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startup, deploy, execute,
        keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes, vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  public ChaincodeOptions withKeepalive(Duration k) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, k, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  public ChaincodeOptions withBaseImage(String image) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, image, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  public ChaincodeOptions withDocker(String networkMode, long memoryBytes, String vmNamePrefix) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, java, tls);
  }

  /**
   * The original's prefix of image and container names: {@code <networkId>-<peerId>} when the
   * network id is non-empty (even with an empty peer id), else the peer id, else nothing.
   */
  public static String vmNamePrefix(String networkId, String peerId) {
    String n = networkId == null ? "" : networkId;
    String p = peerId == null ? "" : peerId;
    if (!n.isEmpty()) {
      return n + "-" + p;
    }
    return p;
  }

  /** Parses {@code chaincode.mode}; anything but {@code dev} is network mode, as in the original. */
  public static Mode parseMode(String value) {
    return "dev".equalsIgnoreCase(value == null ? "" : value.trim()) ? Mode.DEV : Mode.NET;
  }

  /** Parses {@code chaincode.runtime}: {@code process} (or empty) or {@code docker}. */
  public static RuntimeKind parseRuntime(String value) {
    String v = value == null ? "" : value.trim().toLowerCase();
    return switch (v) {
      case "", "process" -> RuntimeKind.PROCESS;
      case "docker" -> RuntimeKind.DOCKER;
      default -> throw new IllegalArgumentException(
          "chaincode.runtime must be 'process' or 'docker', got '" + value + "'");
    };
  }

  /**
   * {@code peer.maxMessageSize}: what the peer sends a chaincode stays below it, so a state value a
   * chaincode writes may be at most this less 64 KiB (it comes back whole in a GET_STATE answer).
   */
  public ChaincodeOptions withMaxMessageBytes(int bytes) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout, executeTimeout,
        keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes, vmNamePrefix, bytes, golang, java, tls);
  }

  public ChaincodeOptions withJava(JavaOptions j) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, j, tls);
  }

  /** With TLS on the peer ({@code peer.tls.enabled}): launched chaincode dials it with TLS. */
  public ChaincodeOptions withTls(Optional<ChaincodeTls> t) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, golang, java, t);
  }

  public ChaincodeOptions withGolang(GoOptions g) {
    return new ChaincodeOptions(mode, peerAddress, fileSystemPath, startupTimeout, deployTimeout,
        executeTimeout, keepalive, runtime, dockerEndpoint, baseImage, networkMode, memoryBytes,
        vmNamePrefix, maxMessageBytes, g, java, tls);
  }
}
