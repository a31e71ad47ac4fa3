package org.jpeer.peer.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jpeer.config.HostPort;

/**
 * The files a running peer keeps in {@code peer.fileSystemPath}: {@code peer.pid} (as the
 * original, for {@code peer node stop --stop-peer-pid-file}) and {@code peer.addresses}, one
 * {@code name=host:port} line per bound address ({@code grpc}, {@code rest}, ...), so that clients
 * and tests find the real ports when the configured ones are 0. Both are removed on a clean stop.
 */
public final class RunFiles {
  public static final String PID_FILE = "peer.pid";
  public static final String ADDRESSES_FILE = "peer.addresses";
  /** The name of the gRPC server's address in the addresses file. */
  public static final String GRPC = "grpc";
  /** The event hub's address, recorded by validators. */
  public static final String EVENTS = "events";

  private final Path dir;

  public RunFiles(Path dir) {
    this.dir = dir;
  }

  public Path pidFile() {
    return dir.resolve(PID_FILE);
  }

  public Path addressesFile() {
    return dir.resolve(ADDRESSES_FILE);
  }

  void writePid(long pid) throws IOException {
    writeAtomically(pidFile(), Long.toString(pid));
  }

  void writeAddresses(Map<String, HostPort> addresses) throws IOException {
    StringBuilder text = new StringBuilder();
    addresses.forEach((name, address) -> text.append(name).append('=').append(address).append('\n'));
    writeAtomically(addressesFile(), text.toString());
  }

  /** The pid in {@code peer.pid}, if the file exists and holds a number. */
  public OptionalLong readPid() throws IOException {
    try {
      String text = Files.readString(pidFile(), StandardCharsets.UTF_8).trim();
      return OptionalLong.of(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (NumberFormatException e) {
      throw new IOException(pidFile() + " does not hold a process id");
    }
  }

  /** The addresses of a running peer, empty if the file does not exist; bad lines are skipped. */
  public Map<String, HostPort> readAddresses() throws IOException {
    Map<String, HostPort> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(addressesFile(), StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          try {
            out.put(line.substring(0, eq).trim(), HostPort.parse(line.substring(eq + 1)));
          } catch (IllegalArgumentException ignored) {
            // a hand-edited or truncated line; the others are still useful
          }
        }
      }
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * Whether a live process with this pid is a jpeer peer, judged by its command line (the main
   * class or the peer's jar). A process whose command line cannot be read does not count.
   */
  public static boolean isPeerProcess(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .flatMap(RunFiles::commandLine)
        .map(line -> line.contains("org.jpeer.peer.Main") || line.contains("jpeer-peer"))
        .orElse(false);
  }

  /** The full command line: the JDK's own view cuts it at 4096 bytes, before a long class path ends. */
  private static Optional<String> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
    } catch (IOException | SecurityException notLinux) {
      return process.info().commandLine();
    }
  }

  void remove() throws IOException {
    Files.deleteIfExists(addressesFile());
    Files.deleteIfExists(pidFile());
  }

  /** Readers never see a half-written file: write beside it, then rename over it. */
  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
