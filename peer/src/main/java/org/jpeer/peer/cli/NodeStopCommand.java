package org.jpeer.peer.cli;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.node.RunFiles;
import org.jpeer.protos.AdminGrpc;
import org.jpeer.protos.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peer node stop}: asks the peer to stop through {@code Admin.StopServer} and, when the
 * peer runs on this machine, waits until its process has exited. If the peer cannot be reached,
 * it falls back to SIGTERM on the pid in {@code <dir>/peer.pid}, as the original does — but only
 * when that process is a jpeer peer, so a stale pid file never kills an unrelated process.
 */
@Command(name = "stop", description = "Stops the running node.")
final class NodeStopCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NodeStopCommand.class);
  private static final long EXIT_WAIT_SECONDS = 15;

  @Mixin CommonOptions common;

  @Option(
      names = "--stop-peer-pid-file",
      paramLabel = "DIR",
      description = "Directory of the peer's peer.pid file, for a forced stop (default: peer.fileSystemPath).")
  Path pidDir;

  private final CliContext context;

  NodeStopCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("node", List.of());
    RunFiles files = new RunFiles(pidDir != null ? pidDir : config.peer().fileSystemPath());
    OptionalLong pid = readPid(files);
    HostPort target;
    try {
      target = PeerClient.target(config);
    } catch (CliException noAddress) {
      // no peer recorded its port here (peer.address has port 0): only the pid file can help
      return stopByPid(files, pid, noAddress.getMessage());
    }
    // read before stopping: a stopping peer removes its addresses file
    boolean waitForPid = pid.isPresent() && recordedHere(files, target);
    try (PeerClient client = PeerClient.open(config, target)) {
      try {
        client.admin().stopServer(Empty.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw client.failure(e, "Error trying to stop the peer", "peer node stop", AdminGrpc.getStopServerMethod());
        }
        log.debug("{}", client.connectionError(e));
        return stopByPid(files, pid, client.connectionError(e));
      }
      if (waitForPid) {
        awaitExit(pid.getAsLong());
      }
      context.out().println("status:" + ServerStatus.StatusCode.STOPPED);
      return 0;
    }
  }

  private static OptionalLong readPid(RunFiles files) {
    try {
      return files.readPid();
    } catch (IOException e) {
      log.debug("Ignoring pid file: {}", e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** Whether the pid file belongs to the peer we just stopped (same directory as its addresses). */
  private static boolean recordedHere(RunFiles files, HostPort target) {
    try {
      HostPort grpc = files.readAddresses().get(RunFiles.GRPC);
      return grpc != null && grpc.port() == target.port();
    } catch (IOException e) {
      return false;
    }
  }

  private int stopByPid(RunFiles files, OptionalLong pid, String whyNotGrpc) throws CliException {
    if (pid.isEmpty()) {
      throw CliException.failure(whyNotGrpc + "; and no peer pid file at " + files.pidFile());
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      throw CliException.failure(
          whyNotGrpc + "; and process " + pid.getAsLong() + " from " + files.pidFile() + " is not running");
    }
    if (!RunFiles.isPeerProcess(pid.getAsLong())) {
      throw CliException.failure(
          whyNotGrpc + "; process " + pid.getAsLong() + " from " + files.pidFile()
              + " is not a jpeer peer, not stopping it");
    }
    log.info("Stopping local peer using process pid from {}", files.pidFile());
    process.get().destroy(); // SIGTERM: the peer's shutdown hook stops it cleanly
    awaitExit(pid.getAsLong());
    context.out().println("status:" + ServerStatus.StatusCode.STOPPED);
    return 0;
  }

  private static void awaitExit(long pid) throws CliException {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      return;
    }
    try {
      process.get().onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw CliException.failure(
          "the peer accepted the stop but process " + pid + " is still running after " + EXIT_WAIT_SECONDS + "s");
    } catch (ExecutionException e) {
      throw CliException.failure("cannot wait for process " + pid + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while waiting for process " + pid + " to exit");
    }
  }
}
