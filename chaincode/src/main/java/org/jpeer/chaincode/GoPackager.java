package org.jpeer.chaincode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jpeer.protos.ChaincodeSpec;

/**
 * GOLANG deploys by path, as Fabric v0.6's Go platform does them (chaincode.md §2, §3.1, §4):
 * ValidateSpec, then the package (the chaincode's folder, the Dockerfile, every
 * {@code .c/.h/.go/.yaml/.json} file of {@code <gopath>/src}, the TLS certificate) and the name
 * (the constructor hashed, then each file of the chaincode's folder in package order). Error texts
 * are the original's, so that clients matching them keep working.
 *
 * <p>One deliberate difference: a path that {@code ..} leads out of {@code <gopath>/src} is
 * refused (the original would package whatever folder it names, say {@code /etc}).
 */
final class GoPackager {
  static final String PACKAGE_ERROR = "Error getting chaincode package bytes: ";
  /** What step 3 of §3.1 takes from the rest of GOPATH. */
  private static final Set<String> SOURCE_EXTENSIONS = Set.of(".c", ".h", ".go", ".yaml", ".json");
  static final String PROJECT_VERSION = "0.6.1-preview";

  private final GoOptions go;
  private final Duration deployTimeout;

  GoPackager(GoOptions go, Duration deployTimeout) {
    this.go = go;
    this.deployTimeout = deployTimeout;
  }

  /** The package and name of a GOLANG spec; the spec's own name is ignored, as in network mode. */
  record Result(String name, byte[] codePackage) {}

  /**
   * The original's {@code platform.ValidateSpec}: the path must parse as a URL, and without a
   * scheme {@code <first GOPATH entry>/src/<path>} must exist.
   */
  void validate(String path) throws ChaincodeException {
    Optional<String> bad = GoPath.urlError(path);
    if (bad.isPresent()) {
      throw new ChaincodeException("invalid path: " + bad.get());
    }
    if (!GoPath.parse(path).scheme().isEmpty()) {
      return; // a remote path is checked by fetching it
    }
    Path src = gopathSrc();
    Path target;
    try {
      target = src.resolve(stripLeadingSlashes(path)).normalize();
    } catch (InvalidPathException e) {
      // Go's os.Stat fails the same way on such a name
      throw new ChaincodeException("Error validating chaincode path: stat " + src + "/" + path
          + ": invalid argument");
    }
    if (!target.startsWith(src)) {
      throw new ChaincodeException("Error validating chaincode path: " + path
          + " leads outside " + src + " (jpeer packages chaincode from GOPATH only)");
    }
    if (!Files.exists(target)) {
      throw new ChaincodeException("Path to chaincode does not exist: " + path);
    }
  }

  Result pack(ChaincodeSpec spec) throws ChaincodeException {
    String path = spec.getChaincodeID().getPath();
    validate(path);
    try {
      return packValidated(spec, path);
    } catch (ChaincodeException e) {
      throw new ChaincodeException(PACKAGE_ERROR + e.getMessage(), e);
    }
  }

  private Result packValidated(ChaincodeSpec spec, String path) throws ChaincodeException {
    if (path.isEmpty()) {
      throw new ChaincodeException("Cannot generate hashcode from empty chaincode path");
    }
    if (spec.getCtorMsg().getArgsCount() == 0) {
      throw new ChaincodeException("Cannot generate hashcode from empty ctor");
    }
    GoPath p = GoPath.parse(path);
    Path codeGopath = null;
    try {
      Path codeSrc;
      if (p.remote()) {
        try {
          codeGopath = GoGet.fetch(p.location(), go, deployTimeout);
        } catch (ChaincodeException e) {
          throw new ChaincodeException("Error getting code " + e.getMessage(), e);
        }
        codeSrc = codeGopath.resolve("src");
      } else {
        codeSrc = gopathSrc();
      }
      String location = goClean(p.location());
      Path codeDir = codeSrc.resolve(location);
      checkCodeExists(codeDir);
      PackageTar tar = new PackageTar();
      // step 1, and the name: the chaincode's folder, hashed and packaged in one walk
      List<byte[]> contents = new ArrayList<>();
      for (Path file : GoFiles.walk(codeDir)) {
        byte[] content = Files.readAllBytes(file);
        contents.add(content);
        tar.addFile(file, "src/" + location + "/" + codeDir.relativize(file), content);
      }
      String name = ChaincodeNames.derive(spec.getCtorMsg(), contents);
      // step 2 (the original checks the location only now)
      String urlLocation = p.urlLocation();
      if (urlLocation.isEmpty()) {
        throw new ChaincodeException("empty url location");
      }
      if (p.lastElement().isEmpty()) {
        throw new ChaincodeException("could not get chaincode name from path " + urlLocation);
      }
      tar.addGenerated(CodePackage.DOCKERFILE_ENTRY,
          dockerfile(urlLocation, p.lastElement(), name).getBytes(StandardCharsets.UTF_8));
      // step 3: the rest of the peer's GOPATH sources (how the shim reaches the build)
      writeGopathSrc(tar, urlLocation);
      // step 4
      if (go.tlsCertFile().isPresent()) {
        Path cert = go.tlsCertFile().get();
        try {
          tar.addFile(cert, "src/certs/cert.pem", Files.readAllBytes(cert));
        } catch (IOException e) {
          throw new ChaincodeException("Error writing cert file to package: " + cert + ": "
              + reason(e));
        }
      }
      return new Result(name, tar.finish());
    } catch (IOException e) {
      throw new ChaincodeException("Error writing Chaincode package contents: " + reason(e), e);
    } catch (InvalidPathException e) {
      throw new ChaincodeException("code does not exist Download failed open " + path
          + ": invalid argument", e);
    } finally {
      if (codeGopath != null) {
        GoFiles.deleteTree(codeGopath);
      }
    }
  }

  /** The Dockerfile: the template, a newline, the RUN line, and with TLS the COPY line. */
  String dockerfile(String urlLocation, String last, String name) {
    String run = "RUN go install " + urlLocation
        + " && cp src/github.com/hyperledger/fabric/peer/core.yaml $GOPATH/bin && mv $GOPATH/bin/"
        + last + " $GOPATH/bin/" + name;
    if (go.tlsCertFile().isPresent()) {
      run = run + "\nCOPY src/certs/cert.pem " + go.tlsCertFile().get();
    }
    return template(go.dockerfileTemplate()) + "\n" + run;
  }

  /** {@code $(ARCH)} and {@code $(PROJECT_VERSION)} substituted, as the original's config reader. */
  static String template(String text) {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return text.replace("$(ARCH)", arch.equals("amd64") ? "x86_64" : arch)
        .replace("$(PROJECT_VERSION)", PROJECT_VERSION);
  }

  /**
   * The original's {@code WriteGopathSrc}: every file under {@code <gopath>/src} with one of
   * {@link #SOURCE_EXTENSIONS}, in walk order, skipping {@code <urlLocation>/} (already packaged)
   * and any path (the whole path, GOPATH included, as the original tests it) containing
   * {@code .git}.
   */
  private void writeGopathSrc(PackageTar tar, String urlLocation)
      throws IOException, ChaincodeException {
    Path src = gopathSrc();
    String root = src.toString();
    String exclude = urlLocation + "/";
    for (Path file : GoFiles.walk(src)) {
      String full = file.toString();
      if (full.contains(".git")) {
        continue;
      }
      String relative = full.substring(root.length() + 1);
      if (full.indexOf(exclude) == root.length() + 1 || !SOURCE_EXTENSIONS.contains(ext(relative))) {
        continue;
      }
      tar.addFile(file, "src/" + relative, Files.readAllBytes(file));
    }
  }

  /** Go's {@code filepath.Ext}: from the last dot of the last element, or empty. */
  static String ext(String path) {
    for (int i = path.length() - 1; i >= 0 && path.charAt(i) != '/'; i--) {
      if (path.charAt(i) == '.') {
        return path.substring(i);
      }
    }
    return "";
  }

  /** The original's {@code IsCodeExist}, with its texts. */
  private static void checkCodeExists(Path dir) throws ChaincodeException {
    if (!Files.exists(dir)) {
      throw new ChaincodeException("code does not exist Download failed open " + dir
          + ": no such file or directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new ChaincodeException("code does not exist File " + dir + " is not dir\n");
    }
  }

  private Path gopathSrc() throws ChaincodeException {
    Path gopath = go.firstGopath().orElseThrow(() -> new ChaincodeException(
        "GOPATH not defined: set GOPATH in the peer's environment (or chaincode.golang.gopath)"));
    return gopath.toAbsolutePath().normalize().resolve("src");
  }

  /** Go's {@code filepath.Join} cleaning of a relative location (no leading slash, no dots). */
  static String goClean(String location) {
    String cleaned = Path.of(stripLeadingSlashes(location)).normalize().toString();
    return cleaned.isEmpty() ? "." : cleaned;
  }

  private static String stripLeadingSlashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
