package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.peer.node.RunFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: {@code bin/peer} from another working directory, against the
 * packaged thin jar and {@code lib/} (so this runs after {@code package}, under failsafe).
 */
class BinPeerIT {
  private static final long DEADLINE_SECONDS = 120;

  @TempDir Path workDir;
  private Process daemon;

  @AfterEach
  void killDaemon() throws InterruptedException {
    if (daemon != null && daemon.isAlive()) {
      daemon.descendants().forEach(ProcessHandle::destroyForcibly);
      daemon.destroyForcibly();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path binPeer() {
    return Path.of(System.getProperty("jpeer.root", "..")).resolve("bin/peer").toAbsolutePath().normalize();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_FILESYSTEMPATH", workDir.resolve("production").toString());
    env.put("CORE_REST_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:0");
    env.put("JPEER_NO_BUILD", "1"); // run what this build packaged, never a nested mvn
    return env;
  }

  private ProcessBuilder builder(Map<String, String> env, Path log, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(binPeer().toString()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile());
    b.environment().putAll(env);
    return b.redirectErrorStream(true).redirectOutput(log.toFile());
  }

  private record Result(int code, String output) {}

  private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile(workDir, "cli-", ".log");
    Process p = builder(env, log, args).start();
    assertThat(p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("bin/peer " + String.join(" ", args)).isTrue();
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void startsStatusesAndStopsFromAnotherDirectory() throws Exception {
    Path log = workDir.resolve("daemon.log");
    daemon = builder(env(), log, "node", "start").start();
    RunFiles files = new RunFiles(workDir.resolve("production"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!files.readAddresses().containsKey(RunFiles.GRPC)) {
      if (System.nanoTime() > deadline || daemon.waitFor(25, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("peer did not come up:\n" + Files.readString(log));
      }
    }
    HostPort grpc = files.readAddresses().get(RunFiles.GRPC);
    // exec: the launcher's own pid is the JVM's, so signals and peer.pid reach the peer itself
    assertThat(Files.readString(files.pidFile()).trim()).isEqualTo(Long.toString(daemon.pid()));

    Result status = run(env(), "node", "status");
    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.output()).isEqualTo("status:STARTED\n");

    Result stop = run(env(), "node", "stop");
    assertThat(stop.code()).as(stop.output()).isZero();
    assertThat(stop.output()).isEqualTo("status:STOPPED\n");
    assertThat(daemon.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("gRPC server listening on " + grpc);
  }

  @Test
  void passesArgumentsAndExitCodesThrough() throws Exception {
    Result version = run(env(), "version");
    assertThat(version.code()).isZero();
    assertThat(version.output()).startsWith("Fabric peer server version 0.6.1-preview\n");

    Map<String, String> bad = env();
    bad.put("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "raft");
    Result start = run(bad, "node", "start");
    assertThat(start.code()).isEqualTo(1);
    assertThat(start.output().strip())
        .isEqualTo(
            "Error: invalid value \"raft\" for peer.validator.consensus.plugin"
                + " (from env CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN): allowed values are noops, pbft");
  }
}
