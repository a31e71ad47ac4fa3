package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jpeer.config.HostPort;
import org.jpeer.peer.node.RunFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peer node start|status|stop} as real processes on 127.0.0.1 port 0. */
class NodeProcessTest {
  @TempDir Path workDir;
  private PeerProcess daemon;

  @AfterEach
  void killDaemon() throws InterruptedException {
    if (daemon != null) {
      daemon.close();
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_FILESYSTEMPATH", workDir.resolve("production").toString());
    env.put("CORE_REST_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:0");
    return env;
  }

  private HostPort startDaemon(Map<String, String> env, String... extraArgs) throws Exception {
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("node", "start"), java.util.Arrays.stream(extraArgs))
        .toArray(String[]::new);
    daemon = PeerProcess.start(workDir, env, args);
    RunFiles files = new RunFiles(workDir.resolve("production"));
    daemon.await("the addresses file", () -> files.readAddresses().containsKey(RunFiles.GRPC));
    return files.readAddresses().get(RunFiles.GRPC);
  }

  @Test
  void startStatusStop() throws Exception {
    HostPort grpc = startDaemon(env());
    assertThat(grpc.host()).isEqualTo("127.0.0.1");
    assertThat(grpc.port()).isPositive();
    assertThat(daemon.output()).contains("gRPC server listening on 127.0.0.1:" + grpc.port());
    assertThat(Files.readString(workDir.resolve("production/peer.pid")).trim())
        .isEqualTo(Long.toString(daemon.process().pid()));

    Map<String, String> client = env();
    client.put("CORE_PEER_ADDRESS", "127.0.0.1:" + grpc.port());
    PeerProcess.Result status = PeerProcess.run(workDir, client, "node", "status");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("status:STARTED");

    // peer.address with port 0: the CLI finds the real port in the peer's addresses file
    PeerProcess.Result stop = PeerProcess.run(workDir, env(), "node", "stop");
    assertThat(stop.exitCode()).as(stop.output()).isZero();
    assertThat(stop.output()).contains("status:STOPPED");
    assertThat(daemon.awaitExit()).isZero();
    assertThat(daemon.output()).contains("Peer stopped");
    assertThat(workDir.resolve("production/peer.addresses")).doesNotExist();
    assertThat(workDir.resolve("production/peer.pid")).doesNotExist();
  }

  @Test
  void sigtermStopsThePeerCleanly() throws Exception {
    startDaemon(env());
    daemon.process().destroy(); // SIGTERM
    int code = daemon.awaitExit();
    // the JVM reports death by SIGTERM as 128+15 even when its shutdown hooks ran cleanly
    assertThat(code).isEqualTo(143);
    assertThat(daemon.output()).contains("Stopping peer").contains("Peer stopped");
    assertThat(workDir.resolve("production/peer.addresses")).doesNotExist();
  }

  @Test
  void sigintStopsThePeerCleanly() throws Exception {
    startDaemon(env());
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(daemon.process().pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
    assertThat(daemon.awaitExit()).isEqualTo(130); // 128+2: SIGINT, after the shutdown hook ran
    assertThat(daemon.output()).contains("Peer stopped");
    assertThat(workDir.resolve("production/peer.pid")).doesNotExist();
  }

  @Test
  void chaincodeDevModeForcesNoopsAndStopFallsBackToThePidFile() throws Exception {
    Map<String, String> env = env();
    env.put("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "pbft");
    startDaemon(env, "--peer-chaincodedev");
    assertThat(daemon.output()).contains("chaincode development mode").contains("consensus=noops");

    // the CLI dials a port where nothing listens: it stops the peer through peer.pid (SIGTERM)
    Map<String, String> client = env();
    client.put("CORE_PEER_ADDRESS", "127.0.0.1:" + closedPort());
    PeerProcess.Result stop = PeerProcess.run(workDir, client, "node", "stop");
    assertThat(stop.exitCode()).as(stop.output()).isZero();
    assertThat(stop.output()).contains("status:STOPPED");
    assertThat(daemon.awaitExit()).isEqualTo(143);
    assertThat(daemon.output()).contains("Peer stopped");
  }

  private static int closedPort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void statusOfAPeerThatIsNotRunningFails() throws Exception {
    Map<String, String> env = env();
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      // a port that was free a moment ago and has nothing listening once closed
      env.put("CORE_PEER_ADDRESS", "127.0.0.1:" + socket.getLocalPort());
    }
    PeerProcess.Result status = PeerProcess.run(workDir, env, "node", "status");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.output()).contains("status:UNKNOWN").contains("Error: Error trying to connect to local peer at 127.0.0.1:");
  }

  @Test
  void portInUseGivesOneLineAndNonZeroExit() throws Exception {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = env();
      env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:" + socket.getLocalPort());
      PeerProcess.Result start = PeerProcess.run(workDir, env, "node", "start");
      assertThat(start.exitCode()).isEqualTo(1);
      assertThat(errorLines(start.output()))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("Error: cannot listen on 127.0.0.1:" + socket.getLocalPort() + " (peer.listenAddress): ")
          .containsIgnoringCase("address already in use");
    }
  }

  @Test
  void corruptCoreYamlGivesOneLineAndNonZeroExit() throws Exception {
    Files.writeString(workDir.resolve("core.yaml"), "peer:\n  id: vp0\n   address: [oops\n");
    PeerProcess.Result start = PeerProcess.run(workDir, env(), "node", "start");
    assertThat(start.exitCode()).isEqualTo(1);
    assertThat(start.output().strip())
        .startsWith("Error: malformed YAML in " + workDir.resolve("core.yaml") + " at line ")
        .doesNotContain("\n");
  }

  @Test
  void badEnvironmentValuesGiveOneLineAndNonZeroExit() throws Exception {
    assertBadEnv(
        "CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN",
        "raft",
        "Error: invalid value \"raft\" for peer.validator.consensus.plugin"
            + " (from env CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN): allowed values are noops, pbft");
    assertBadEnv(
        "CORE_NOOPS_BLOCK_SIZE",
        "-1",
        "Error: invalid value \"-1\" for block.size (from env CORE_NOOPS_BLOCK_SIZE):"
            + " expected a whole number from 1 to 1000000");
    assertBadEnv(
        "CORE_PEER_ADDRESS",
        "host:99999",
        "Error: invalid value \"host:99999\" for peer.address (from env CORE_PEER_ADDRESS):"
            + " expected host:port with a port from 0 to 65535, 0 = any free port (port 99999 is out of range)");
  }

  private void assertBadEnv(String name, String value, String expected) throws Exception {
    Map<String, String> env = env();
    env.put(name, value);
    PeerProcess.Result start = PeerProcess.run(workDir, env, "node", "start");
    assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
    assertThat(start.output().strip()).isEqualTo(expected);
  }

  private static java.util.List<String> errorLines(String output) {
    return output.lines().filter(l -> l.startsWith("Error:")).toList();
  }
}
