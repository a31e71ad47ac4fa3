package org.jpeer.chaincode;

import java.util.Optional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chaincode as a child process. JAVA: the package's jar is unpacked under
 * {@code <fileSystemPath>/chaincode/<name>/}, next to a link to the shim runtime when the jar
 * names one ({@link ShimRuntime}), and started with {@code java <chaincode.java.jvmoptions> -jar
 * chaincode.jar -a <peerAddress> -i <name>}, where a thin jar gets the peer's Unix socket
 * ({@code chaincode.java.unixsocket}) instead of {@code peer.address}. GOLANG: the binary {@link GoBuild} makes (or made before) under
 * {@code <fileSystemPath>/chaincode/go/<name>/} is started with {@code -peer.address=<peerAddress>}.
 * Both get the environment the original passes (with {@code peer.tls.enabled}: TLS on, the roots to
 * trust and the server name to expect, and {@code " -s"} for Java); output goes to {@code chaincode.log} beside them. Children are stopped with the peer; should the peer die
 * without stopping them, they end on their own because the shim exits when its stream closes.
 */
final class ProcessRuntime implements ChaincodeRuntime {
  /**
   * How long the Java shim tries to connect (ms; jpeer's shim reads it, others ignore it). Set to
   * the startup timeout: the original shim's 3 s was sometimes too short for a chaincode JVM started
   * on a busy machine, which failed the launching transaction on that replica only.
   */
  static final String SHIM_DIAL_TIMEOUT_ENV = "CORE_CHAINCODE_DIALTIMEOUT";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

  private final ChaincodeOptions options;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();

  ProcessRuntime(ChaincodeOptions options) {
    this.options = options;
  }

  @Override
  public CompletableFuture<String> start(String name, ChaincodeDeploymentSpec spec)
      throws ChaincodeException {
    stop(name);
    if (spec.getChaincodeSpec().getType() == ChaincodeSpec.Type.GOLANG) {
      // the original's command line (chaincode.md §6.3) with the binary where we built it
      Path binary = GoBuild.binary(options, name, spec);
      return launch(name, binary.getParent(), List.of(binary.toString(),
          "-peer.address=" + options.peerAddress()), binary.toString());
    }
    Path dir = options.fileSystemPath().resolve("chaincode").resolve(name);
    Path jar = dir.resolve(CodePackage.JAR_ENTRY);
    try {
      byte[] content = CodePackage.read(spec.getCodePackage().toByteArray(), CodePackage.JAR_ENTRY)
          .orElseThrow(() -> new ChaincodeException("chaincode " + name + ": its code package has "
              + "no " + CodePackage.JAR_ENTRY + "; the process runtime runs JAVA and GOLANG "
              + "chaincode only"));
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "chaincode", ".jar.tmp");
      Files.write(tmp, content);
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + name + ": cannot unpack its code package into "
          + dir + ": " + e.getMessage(), e);
    }
    boolean thin = ShimRuntime.provide(name, dir, jar, options.java().shimJar());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options.java().jvmOptions());
    command.addAll(List.of("-jar", CodePackage.JAR_ENTRY, "-a", dialTarget(thin), "-i", name));
    if (options.tls().isPresent()) {
      // the original's argument, leading space included (chaincode.md §6.3)
      command.add(" -s");
    }
    return launch(name, dir, command, java);
  }

  /**
   * A thin jar runs this peer's shim runtime, which dials Unix sockets: it gets the peer's socket
   * when there is one. A jar that carries its own shim may predate that (or not be jpeer's), so it
   * dials {@code peer.address} as every chaincode did before.
   */
  private String dialTarget(boolean thin) {
    Optional<Path> socket = options.java().unixSocket();
    return thin && socket.isPresent() ? JavaOptions.target(socket.get()) : options.peerAddress();
  }

  /** Starts {@code command} in {@code dir} with the original's environment, output to a log. */
  private CompletableFuture<String> launch(String name, Path dir, List<String> command,
      String executable) throws ChaincodeException {
    Path log = dir.resolve("chaincode.log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("CORE_"));
    env.put("CORE_CHAINCODE_ID_NAME", name);
    options.tls().ifPresentOrElse(tls -> {
      env.put("CORE_PEER_TLS_ENABLED", "true");
      env.put("CORE_PEER_TLS_CERT_FILE", tls.rootCertFile().toString());
      if (!tls.serverHostOverride().isEmpty()) {
        env.put("CORE_PEER_TLS_SERVERHOSTOVERRIDE", tls.serverHostOverride());
      }
    }, () -> env.put("CORE_PEER_TLS_ENABLED", "false"));
    env.put(SHIM_DIAL_TIMEOUT_ENV, Long.toString(options.startupTimeout().toMillis()));
    try {
      Process process = builder.start();
      processes.put(name, process);
      LOG.info("Started chaincode {} as process {} (log {})", shortName(name), process.pid(), log);
      return process.onExit().thenApply(p -> "its process " + p.pid() + " exited with code "
          + p.exitValue() + " (see " + log + ")");
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + name + ": cannot start " + executable + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> problem() {
    Path executable = Path.of(System.getProperty("java.home"), "bin", "java");
    return executable.toFile().canExecute() ? Optional.empty()
        : Optional.of("no java executable at " + executable + " to run chaincode with");
  }

  @Override
  public void stop(String name) {
    Process process = processes.remove(name);
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LOG.debug("Stopped chaincode {} (process {})", shortName(name), process.pid());
  }

  /** The child process of a running chaincode, for diagnostics and tests. */
  Optional<ProcessHandle> process(String name) {
    return Optional.ofNullable(processes.get(name)).map(Process::toHandle);
  }

  @Override
  public void close() {
    for (String name : List.copyOf(processes.keySet())) {
      stop(name);
    }
  }

  static String shortName(String name) {
    return name.length() > 16 ? name.substring(0, 16) + "..." : name;
  }
}
