package org.jpeer.chaincode;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How GOLANG chaincode is packaged and built.
 *
 * @param gopath the peer's {@code GOPATH} (a {@code :}-separated list; only the first entry is
 *     packaged, as in the original); empty when the peer has none
 * @param dockerfileTemplate {@code chaincode.golang.Dockerfile}, before {@code $(ARCH)} and
 *     {@code $(PROJECT_VERSION)} are substituted
 * @param installPath {@code chaincode.installpath}: the binary's folder inside an image (ends in
 *     {@code /}; the original concatenates)
 * @param goCommand the {@code go} executable the process runtime builds with and deploys of
 *     {@code http(s)://} paths run {@code go get} with
 * @param libraryPath GOPATH entries appended when the process runtime builds, so that the
 *     chaincode finds gRPC and protobuf (Debian installs Go libraries under /usr/share/gocode)
 * @param tlsCertFile {@code peer.tls.cert.file} when {@code peer.tls.enabled}: packaged as
 *     {@code src/certs/cert.pem}
 */
public record GoOptions(String gopath, String dockerfileTemplate, String installPath,
    String goCommand, List<String> libraryPath, Optional<Path> tlsCertFile) {

  /** The original's default template (core.yaml's {@code chaincode.golang.Dockerfile}). */
  public static final String DEFAULT_DOCKERFILE = "from hyperledger/fabric-baseimage\n"
      + "#from utxo:0.1.0\n"
      + "COPY src $GOPATH/src\n"
      + "WORKDIR $GOPATH\n";

  public GoOptions {
    Objects.requireNonNull(gopath, "gopath");
    Objects.requireNonNull(dockerfileTemplate, "dockerfileTemplate");
    Objects.requireNonNull(installPath, "installPath");
    Objects.requireNonNull(goCommand, "goCommand");
    libraryPath = List.copyOf(libraryPath);
    Objects.requireNonNull(tlsCertFile, "tlsCertFile");
  }

  /** The peer process's own {@code GOPATH}, the original's template, {@code go} on PATH. */
  public static GoOptions defaults() {
    String env = System.getenv("GOPATH");
    return new GoOptions(env == null ? "" : env, DEFAULT_DOCKERFILE, "/opt/gopath/bin/", "go",
        List.of("/usr/share/gocode"), Optional.empty());
  }

  public GoOptions withGopath(String g) {
    return new GoOptions(g, dockerfileTemplate, installPath, goCommand, libraryPath, tlsCertFile);
  }

  public GoOptions withDockerfileTemplate(String t) {
    return new GoOptions(gopath, t, installPath, goCommand, libraryPath, tlsCertFile);
  }

  public GoOptions withInstallPath(String p) {
    return new GoOptions(gopath, dockerfileTemplate, p, goCommand, libraryPath, tlsCertFile);
  }

  public GoOptions withGoCommand(String c) {
    return new GoOptions(gopath, dockerfileTemplate, installPath, c, libraryPath, tlsCertFile);
  }

  public GoOptions withLibraryPath(List<String> l) {
    return new GoOptions(gopath, dockerfileTemplate, installPath, goCommand, l, tlsCertFile);
  }

  public GoOptions withTlsCertFile(Optional<Path> f) {
    return new GoOptions(gopath, dockerfileTemplate, installPath, goCommand, libraryPath, f);
  }

  /** The GOPATH entries, blanks dropped. */
  List<String> gopathEntries() {
    return Arrays.stream(gopath.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
  }

  /** The first GOPATH entry, the one the original packages from. */
  Optional<Path> firstGopath() {
    List<String> entries = gopathEntries();
    return entries.isEmpty() ? Optional.empty() : Optional.of(Path.of(entries.get(0)));
  }
}
