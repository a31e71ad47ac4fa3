package org.jpeer.shim;

import java.util.Map;

/**
 * How the shim reaches the peer. Taken from the command line the peer gives a Java chaincode
 * ({@code -a host:port -i name [-s]}), the Go shim's flag ({@code -peer.address=host:port}), then
 * the environment ({@code CORE_PEER_ADDRESS}, {@code CORE_CHAINCODE_ID_NAME},
 * {@code CORE_PEER_TLS_*}, and jpeer's {@code CORE_CHAINCODE_DIALTIMEOUT}). The address may also be
 * a Unix socket, {@code unix:///path} (jpeer's {@code chaincode.java.unixsocket}; Linux only).
 *
 * @param dialTimeoutMillis how long to try to connect before giving up: the original's 3 s unless
 *     {@code CORE_CHAINCODE_DIALTIMEOUT} (ms) says otherwise. A peer that launches a chaincode sets
 *     it to its {@code chaincode.startuptimeout}: with 3 s, a chaincode JVM started on a busy machine
 *     sometimes gave up before it connected, so the transaction that launched it failed on that
 *     replica only and its block differed from the others'.
 */
public record ShimOptions(String peerAddress, String chaincodeName, boolean tlsEnabled,
    String tlsRootCertFile, String tlsServerHostOverride, long dialTimeoutMillis) {

  /** The Java shim of Fabric v0.6 dials this when nothing else is given. */
  public static final String DEFAULT_PEER_ADDRESS = "127.0.0.1:7051";
  /** The Go and Java shims of Fabric v0.6 dial with this timeout. */
  public static final long DEFAULT_DIAL_TIMEOUT_MILLIS = 3000;
  /** The environment variable a launching peer sets to its startup timeout. */
  public static final String DIAL_TIMEOUT_ENV = "CORE_CHAINCODE_DIALTIMEOUT";

  public ShimOptions(String peerAddress, String chaincodeName, boolean tlsEnabled, String tlsRootCertFile,
      String tlsServerHostOverride) {
    this(peerAddress, chaincodeName, tlsEnabled, tlsRootCertFile, tlsServerHostOverride,
        DEFAULT_DIAL_TIMEOUT_MILLIS);
  }

  public static ShimOptions parse(String[] args, Map<String, String> env) {
    String address = null;
    String name = null;
    for (int i = 0; i < args.length; i++) {
      // the peer passes TLS as the single argument " -s" (leading space), hence trim
      String arg = args[i].trim();
      if (arg.equals("-a") || arg.equals("--peerAddress")) {
        address = valueAfter(args, i++, arg);
      } else if (arg.equals("-i") || arg.equals("--id")) {
        name = valueAfter(args, i++, arg);
      } else if (arg.startsWith("-peer.address=")) {
        address = arg.substring("-peer.address=".length());
      } else if (arg.equals("-peer.address")) {
        address = valueAfter(args, i++, arg);
      } else if (!arg.equals("-s") && !arg.equals("--secure") && !arg.isEmpty()) {
        throw new IllegalArgumentException("unknown argument '" + arg
            + "'; expected -a <host:port | unix:///path>, -i <chaincode name>, -s or -peer.address=<host:port>");
      }
    }
    if (address == null || address.isBlank()) {
      address = env.getOrDefault("CORE_PEER_ADDRESS", DEFAULT_PEER_ADDRESS);
    }
    if (name == null || name.isBlank()) {
      name = env.get("CORE_CHAINCODE_ID_NAME");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "no chaincode name: set CORE_CHAINCODE_ID_NAME or pass -i <name>");
    }
    boolean tls = Boolean.parseBoolean(env.getOrDefault("CORE_PEER_TLS_ENABLED", "false").trim());
    String cert = env.get("CORE_PEER_TLS_CERT_FILE");
    if (tls && (cert == null || cert.isBlank())) {
      throw new IllegalArgumentException(
          "CORE_PEER_TLS_ENABLED is true but CORE_PEER_TLS_CERT_FILE is not set");
    }
    String override = env.get("CORE_PEER_TLS_SERVERHOSTOVERRIDE");
    return new ShimOptions(address, name, tls, cert,
        override == null || override.isBlank() ? null : override, dialTimeout(env.get(DIAL_TIMEOUT_ENV)));
  }

  private static long dialTimeout(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_DIAL_TIMEOUT_MILLIS;
    }
    try {
      long ms = Long.parseLong(value.trim());
      if (ms > 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(DIAL_TIMEOUT_ENV + " must be a positive number of milliseconds; got '"
        + value + "'");
  }

  private static String valueAfter(String[] args, int i, String flag) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException("argument " + flag + " needs a value");
    }
    return args[i + 1].trim();
  }
}
