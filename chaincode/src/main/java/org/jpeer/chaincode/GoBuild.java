package org.jpeer.chaincode;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds GOLANG chaincode for the process runtime, as its Dockerfile's RUN line would in an image:
 * the code package is unpacked as a private GOPATH and {@code go build} makes the binary, which is
 * kept as {@code <fileSystemPath>/chaincode/go/<name>/<name>}. The name is derived from the source,
 * so a binary of that name is the build of that source: a restart (or a relaunch) finds it and
 * does not build again. A failed build leaves nothing behind but its message.
 */
final class GoBuild {
  private static final Logger LOG = LoggerFactory.getLogger(GoBuild.class);
  private static final long BUILD_TIMEOUT_MINUTES = 10;

  private GoBuild() {}

  /** The folder of chaincode {@code name}'s binary and log. */
  static Path folder(ChaincodeOptions options, String name) {
    return options.fileSystemPath().resolve("chaincode").resolve("go").resolve(name);
  }

  /** The binary of chaincode {@code name}, built from its package unless it is there already. */
  static Path binary(ChaincodeOptions options, String name, ChaincodeDeploymentSpec spec)
      throws ChaincodeException {
    Path folder = folder(options, name);
    Path binary = folder.resolve(name);
    if (Files.isExecutable(binary)) {
      LOG.debug("chaincode {}: reusing its binary {}", ProcessRuntime.shortName(name), binary);
      return binary;
    }
    GoOptions go = options.golang();
    Path goCommand = GoToolchain.locate(go.goCommand()).orElseThrow(() -> new ChaincodeException(
        "chaincode " + name + ": cannot build Go chaincode: no Go toolchain ('" + go.goCommand()
            + "' not found): " + GoToolchain.INSTALL_HINT));
    String location = GoPath.parse(spec.getChaincodeSpec().getChaincodeID().getPath()).urlLocation();
    if (spec.getCodePackage().isEmpty() || location.isEmpty()) {
      throw new ChaincodeException("chaincode " + name + ": its deploy transaction has no Go "
          + "code package to build from");
    }
    Path root = folder.getParent();
    Path staging = null;
    try {
      Files.createDirectories(root);
      staging = Files.createTempDirectory(root, ".build-");
      unpack(spec.getCodePackage().toByteArray(), staging);
      Path built = staging.resolve("bin").resolve(name);
      LOG.info("Building Go chaincode {} ({}) with {}", ProcessRuntime.shortName(name), location,
          goCommand);
      long started = System.nanoTime();
      build(goCommand, go, options, staging, location, built);
      Files.createDirectories(folder);
      Files.move(built, binary, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Built Go chaincode {} in {} ms", ProcessRuntime.shortName(name),
          (System.nanoTime() - started) / 1_000_000);
      return binary;
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + name + ": cannot build it in " + root + ": "
          + e.getMessage(), e);
    } finally {
      if (staging != null) {
        GoFiles.deleteTree(staging);
      }
    }
  }

  private static void build(Path goCommand, GoOptions go, ChaincodeOptions options, Path gopath,
      String location, Path output) throws ChaincodeException, IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(goCommand.toString(), "build", "-o",
        output.toString(), location)).directory(gopath.toFile()).redirectErrorStream(true);
    Path log = gopath.resolve("build.log");
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("GOPATH", buildGopath(gopath, go));
    env.put("GO111MODULE", "off"); // the package is a GOPATH tree, as in the original's image
    env.remove("GOFLAGS");
    if (env.get("GOCACHE") == null && env.get("HOME") == null) {
      // go refuses to build without a cache; the user's ($HOME/.cache/go-build) when there is one
      env.put("GOCACHE", options.fileSystemPath().resolve("chaincode").resolve("go")
          .resolve(".cache").toString());
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new ChaincodeException("go build " + location + " did not finish within "
            + BUILD_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ChaincodeException("interrupted while building " + location);
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(output)) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      throw new ChaincodeException("go build " + location + " failed: " + firstError(out));
    }
  }

  /** The private GOPATH first, then the peer's further GOPATH entries and the library path. */
  static String buildGopath(Path gopath, GoOptions go) {
    List<String> entries = new ArrayList<>();
    entries.add(gopath.toString());
    List<String> peer = go.gopathEntries();
    entries.addAll(peer.isEmpty() ? List.of() : peer.subList(1, peer.size()));
    for (String lib : go.libraryPath()) {
      if (Files.isDirectory(Path.of(lib))) {
        entries.add(lib);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The compiler's first error: the first {@code file.go:line:col: ...} line, else the first line
   * that is not a {@code # package} header, else everything.
   */
  static String firstError(String output) {
    String fallback = null;
    for (String line : output.split("\n")) {
      String l = line.strip();
      if (l.matches("\\S+\\.go:\\d+(:\\d+)?: .*")) {
        return l;
      }
      if (fallback == null && !l.isEmpty() && !l.startsWith("#")) {
        fallback = l;
      }
    }
    return fallback != null ? fallback : output.strip();
  }

  /** Unpacks the package's regular files under {@code dir}, refusing names that leave it. */
  static void unpack(byte[] pkg, Path dir) throws IOException {
    try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(pkg));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (!e.isFile()) {
          continue;
        }
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir) || target.equals(dir)) {
          throw new IOException("code package entry " + e.getName() + " leaves the package");
        }
        Files.createDirectories(target.getParent());
        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
