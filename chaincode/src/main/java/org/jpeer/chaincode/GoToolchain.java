package org.jpeer.chaincode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Go toolchain the peer builds Go chaincode with. */
final class GoToolchain {
  /** The one line a deploy fails with when there is no toolchain. */
  static final String INSTALL_HINT = "install a Go toolchain (Debian: apt-get install golang-go "
      + "golang-google-grpc-dev golang-goprotobuf-dev) or set chaincode.golang.go";

  private GoToolchain() {}

  /**
   * {@code command} itself when it names an executable file, else the first executable of that
   * name on {@code PATH}.
   */
  static Optional<Path> locate(String command) {
    if (command.contains(File.separator)) {
      Path p = Path.of(command);
      return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
