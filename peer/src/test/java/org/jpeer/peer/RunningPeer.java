package org.jpeer.peer;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.peer.node.RunFiles;

/**
 * A real peer child process started with {@code peer node start} on 127.0.0.1 port 0 and a fresh
 * {@code peer.fileSystemPath}, its addresses read from the peer's addresses file.
 */
final class RunningPeer implements AutoCloseable {

  /** example02, shaded by the examples module (built before the peer: test-scoped dependency). */
  static final Path EXAMPLE02 = Path.of("..", "examples", "target", "example02.jar").toAbsolutePath().normalize();

  final Path workDir;
  final Map<String, String> env;
  final PeerProcess process;
  final Map<String, HostPort> addresses;
  private ManagedChannel channel;

  private RunningPeer(Path workDir, Map<String, String> env, PeerProcess process, Map<String, HostPort> addresses) {
    this.workDir = workDir;
    this.env = env;
    this.process = process;
    this.addresses = addresses;
  }

  static Map<String, String> baseEnv(Path workDir) {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_FILESYSTEMPATH", workDir.resolve("production").toString());
    env.put("CORE_REST_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:0");
    // a small bucket tree keeps the ledger's start-up cheap in tests
    env.put("CORE_LEDGER_STATE_DATASTRUCTURE_CONFIGS_NUMBUCKETS", "1009");
    return env;
  }

  static RunningPeer start(Path workDir, Map<String, String> extraEnv, String... flags) throws Exception {
    if (!Files.isRegularFile(EXAMPLE02)) {
      throw new AssertionError(EXAMPLE02 + " is missing: build the examples module first");
    }
    Map<String, String> env = baseEnv(workDir);
    env.putAll(extraEnv);
    String[] args = new String[2 + flags.length];
    args[0] = "node";
    args[1] = "start";
    System.arraycopy(flags, 0, args, 2, flags.length);
    PeerProcess process = PeerProcess.start(workDir, env, args);
    try {
      RunFiles files = new RunFiles(workDir.resolve("production"));
      process.await("the addresses file", () -> files.readAddresses().containsKey(RunFiles.GRPC));
      return new RunningPeer(workDir, env, process, files.readAddresses());
    } catch (Exception | Error e) {
      process.close();
      throw e;
    }
  }

  /** {@code http://host:port} of the REST server. */
  java.net.URI rest() {
    HostPort r = addresses.get("rest");
    if (r == null) {
      throw new AssertionError("the peer recorded no REST address: " + addresses);
    }
    return java.net.URI.create("http://" + r.dialable());
  }

  HostPort grpc() {
    return addresses.get(RunFiles.GRPC);
  }

  /** The environment a CLI child needs to reach this peer. */
  Map<String, String> cliEnv() {
    Map<String, String> cli = new HashMap<>(env);
    cli.put("CORE_PEER_ADDRESS", grpc().toString());
    return cli;
  }

  synchronized ManagedChannel channel() {
    if (channel == null) {
      channel = NettyChannelBuilder.forAddress(grpc().host(), grpc().port()).usePlaintext()
          .maxInboundMessageSize(100 * 1024 * 1024).build();
    }
    return channel;
  }

  String output() {
    return process.output();
  }

  @Override
  public void close() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    process.close();
    // kept in the test's report output: the first place to look when an end-to-end test fails
    System.out.println("---- peer output (" + workDir + ") ----\n" + process.output());
  }
}
