package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code peer node start|status|stop} as real processes on 127.0.0.1 port 0. */
class NodeProcessTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void startStatusStop() throws Exception {
    LocalPeer peer = kit.peer();
    assertThat(peer.grpc().host()).isEqualTo("127.0.0.1");
    assertThat(peer.grpc().port()).isPositive();
    assertThat(peer.process().stderr()).contains("gRPC server listening on 127.0.0.1:" + peer.grpc().port());
    assertThat(Files.readString(peer.env().fileSystemPath().resolve("peer.pid")).trim())
        .isEqualTo(Long.toString(peer.pid()));

    ChildProcess.Result status = peer.cli("node", "status");
    assertThat(status.exitCode()).as(status.describe()).isZero();
    assertThat(status.stdout()).isEqualTo("status:STARTED\n");

    // peer.address with port 0: the CLI finds the real port in the peer's addresses file
    ChildProcess.Result stop = kit.cli(peer.env(), "node", "stop");
    assertThat(stop.exitCode()).as(stop.describe()).isZero();
    assertThat(stop.stdout()).isEqualTo("status:STOPPED\n");
    assertThat(peer.process().awaitExit()).isZero();
    assertThat(peer.process().stderr()).contains("Peer stopped");
    assertThat(peer.env().fileSystemPath().resolve("peer.addresses")).doesNotExist();
    assertThat(peer.env().fileSystemPath().resolve("peer.pid")).doesNotExist();
  }

  @Test
  void sigtermStopsThePeerCleanly() {
    LocalPeer peer = kit.peer();
    // the JVM reports death by SIGTERM as 128+15 even when its shutdown hooks ran cleanly
    assertThat(peer.stop()).isEqualTo(143);
    assertThat(peer.process().stderr()).contains("Stopping peer").contains("Peer stopped");
    assertThat(peer.env().fileSystemPath().resolve("peer.addresses")).doesNotExist();
  }

  @Test
  void sigintStopsThePeerCleanly() throws Exception {
    LocalPeer peer = kit.peer();
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(peer.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
    assertThat(peer.process().awaitExit()).isEqualTo(130); // 128+2: SIGINT, after the shutdown hook ran
    assertThat(peer.process().stderr()).contains("Peer stopped");
    assertThat(peer.env().fileSystemPath().resolve("peer.pid")).doesNotExist();
  }

  @Test
  void chaincodeDevModeForcesNoopsAndStopFallsBackToThePidFile() throws Exception {
    LocalPeer peer = kit.peer(kit.env("peer").with("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "pbft"),
        "--peer-chaincodedev");
    assertThat(peer.process().stderr()).contains("chaincode development mode").contains("consensus=noops");

    // the CLI dials a port where nothing listens: it stops the peer through peer.pid (SIGTERM)
    ChildProcess.Result stop = kit.cli(peer.env().with("CORE_PEER_ADDRESS", "127.0.0.1:" + closedPort()),
        "node", "stop");
    assertThat(stop.exitCode()).as(stop.describe()).isZero();
    assertThat(stop.stdout()).isEqualTo("status:STOPPED\n");
    assertThat(peer.process().awaitExit()).isEqualTo(143);
    assertThat(peer.process().stderr()).contains("Peer stopped");
  }

  /** A port that was free a moment ago and has nothing listening once closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void statusOfAPeerThatIsNotRunningFails() throws Exception {
    int port = closedPort();
    ChildProcess.Result status = kit.cli(kit.env("peer").with("CORE_PEER_ADDRESS", "127.0.0.1:" + port),
        "node", "status");
    assertThat(status.exitCode()).as(status.describe()).isEqualTo(1);
    assertThat(status.stdout()).isEqualTo("status:UNKNOWN\n");
    assertThat(errorLines(status.stderr())).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Error: Error trying to connect to local peer at 127.0.0.1:" + port + ": ");
  }

  @Test
  void portInUseGivesOneLineAndNonZeroExit() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      PeerEnv env = kit.env("peer").with("CORE_PEER_LISTENADDRESS", "127.0.0.1:" + socket.getLocalPort());
      ChildProcess.Result start = kit.cli(env, "node", "start");
      assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
      assertThat(errorLines(start.stderr()))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("Error: cannot listen on 127.0.0.1:" + socket.getLocalPort() + " (peer.listenAddress): ")
          .containsIgnoringCase("address already in use");
    }
  }

  @Test
  void corruptCoreYamlGivesOneLineAndNonZeroExit() throws Exception {
    PeerEnv env = kit.env("peer");
    Files.createDirectories(env.home());
    Files.writeString(env.home().resolve("core.yaml"), "peer:\n  id: vp0\n   address: [oops\n");
    ChildProcess.Result start = kit.cli(env, "node", "start");
    assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
    assertThat(start.stdout()).isEmpty();
    assertThat(start.stderr())
        .startsWith("Error: malformed YAML in " + env.home().resolve("core.yaml") + " at line ")
        .endsWith("\n")
        .hasLineCount(1);
  }

  @Test
  void badEnvironmentValuesGiveOneLineAndNonZeroExit() {
    assertBadEnv(
        "CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN",
        "raft",
        "Error: invalid value \"raft\" for peer.validator.consensus.plugin"
            + " (from env CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN): allowed values are noops, pbft\n");
    assertBadEnv(
        "CORE_NOOPS_BLOCK_SIZE",
        "-1",
        "Error: invalid value \"-1\" for block.size (from env CORE_NOOPS_BLOCK_SIZE):"
            + " expected a whole number from 1 to 1000000\n");
    assertBadEnv(
        "CORE_PEER_ADDRESS",
        "host:99999",
        "Error: invalid value \"host:99999\" for peer.address (from env CORE_PEER_ADDRESS):"
            + " expected host:port with a port from 0 to 65535, 0 = any free port (port 99999 is out of range)\n");
  }

  private void assertBadEnv(String name, String value, String expected) {
    ChildProcess.Result start = kit.cli(kit.env("peer").with(name, value), "node", "start");
    assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
    assertThat(start.stdout()).isEmpty();
    assertThat(start.stderr()).isEqualTo(expected);
  }

  private static java.util.List<String> errorLines(String output) {
    return output.lines().filter(l -> l.startsWith("Error:")).toList();
  }
}
