package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerLauncher;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The launcher as a user runs it: {@code bin/peer} from another working directory, against the
 * packaged thin jar and {@code lib/} (so this runs after {@code package}, under failsafe).
 */
class BinPeerIT {
  @RegisterExtension
  final TestKit kit = new TestKit(PeerLauncher.binPeer(Path.of(System.getProperty("jpeer.root", ".."))));

  @Test
  void startsStatusesAndStopsFromAnotherDirectory() {
    // ready means peer.pid names the launched process: bin/peer execs the JVM, so signals reach the peer
    LocalPeer peer = kit.peer();

    ChildProcess.Result status = peer.cli("node", "status");
    assertThat(status.exitCode()).as(status.describe()).isZero();
    assertThat(status.stdout()).isEqualTo("status:STARTED\n");

    ChildProcess.Result stop = kit.cli(peer.env(), "node", "stop");
    assertThat(stop.exitCode()).as(stop.describe()).isZero();
    assertThat(stop.stdout()).isEqualTo("status:STOPPED\n");
    assertThat(peer.process().awaitExit()).isZero();
    assertThat(peer.process().stderr()).contains("gRPC server listening on " + peer.grpc());
  }

  @Test
  void passesArgumentsAndExitCodesThrough() {
    ChildProcess.Result version = kit.cli(kit.env("cli"), "version");
    assertThat(version.exitCode()).as(version.describe()).isZero();
    assertThat(version.stdout()).isEqualTo("Fabric peer server version 0.6.1-preview\njpeer version 0.1.0\n");

    ChildProcess.Result start = kit.cli(kit.env("cli").with("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "raft"),
        "node", "start");
    assertThat(start.exitCode()).isEqualTo(1);
    assertThat(start.stderr()).isEqualTo(
        "Error: invalid value \"raft\" for peer.validator.consensus.plugin"
            + " (from env CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN): allowed values are noops, pbft\n");
  }
}
