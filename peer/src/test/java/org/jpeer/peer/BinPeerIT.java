package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void runsThePeerWithItsMemoryDefaultsAndRocksDbsLibraryUnpackedOnce() throws Exception {
    LocalPeer peer = kit.peer();
    long pid = peer.process().pid();
    List<String> args = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\u0000"));
    assertThat(args).contains("-XX:+UseSerialGC", "-Xmx128m", "-Xss512k");
    Path root = Path.of(System.getProperty("jpeer.root", "..")).toAbsolutePath().normalize();
    Path nativeDir = root.resolve("peer/target/native");
    assertThat(args).contains("-Djava.library.path=" + nativeDir);
    // RocksDB loaded the library bin/peer unpacked, not a copy of its own in the temporary folder
    assertThat(Files.readString(Path.of("/proc/" + pid + "/maps")))
        .contains(nativeDir.resolve("librocksdbjni-linux64.so").toString());
    ChildProcess.Result stop = kit.cli(peer.env(), "node", "stop");
    assertThat(stop.exitCode()).as(stop.describe()).isZero();
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
