package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GOLANG packaging and naming against chaincode.md §3.1 and §4, on the fixture GOPATH of
 * {@code src/test/resources/gopath-fixture} (copied, so that modes and a {@code .git} folder can
 * be set up: git itself cannot hold a nested {@code .git}).
 */
class GoPackagerTest {
  static final String VECTOR_NAME = "e7a7bc34a37b9733cdaf12e8e27fe4a0ea6e623c0c9ff70959d7128d9af78d8d"
      + "236105c5987ebe6a3ebb35cecb4d5b70e6ac06f506fb2a1ef7b343bbbbed3f56";

  @TempDir Path dir;
  Path gopath;

  @BeforeEach
  void copyFixture() throws Exception {
    gopath = copyTree(fixture(), dir.resolve("go"));
    Path cc = gopath.resolve("src/example.com/cc");
    Files.setPosixFilePermissions(cc.resolve("main.go"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.setPosixFilePermissions(cc.resolve("README"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(Files.createDirectories(cc.resolve(".git")).resolve("HEAD"), "ref\n");
    Files.writeString(Files.createDirectories(gopath.resolve("src/.git")).resolve("x.go"), "x\n");
    Files.writeString(gopath.resolve("src/lib/keep.gitkeep.go"), "package lib\n");
  }

  static Path fixture() throws URISyntaxException {
    return Path.of(GoPackagerTest.class.getResource("/gopath-fixture").toURI());
  }

  static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    return to;
  }

  GoPackager packager(GoOptions go) {
    return new GoPackager(go, Duration.ofSeconds(30));
  }

  GoOptions go() {
    return GoOptions.defaults().withGopath(gopath + ":/elsewhere/ignored");
  }

  static ChaincodeSpec spec(String path) {
    return DeployPreparerTest.spec(ChaincodeSpec.Type.GOLANG, path);
  }

  record Entry(String name, int mode, long uid, long gid, String user, String group, long mtime,
      String content) {}

  static List<Entry> entries(byte[] pkg) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(pkg)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        out.add(new Entry(e.getName(), e.getMode(), e.getLongUserId(), e.getLongGroupId(),
            e.getUserName(), e.getGroupName(), e.getModTime().getTime(),
            new String(tar.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  @Test
  void theReferenceVectorNamesTheFixturesTwoFileChaincode() throws Exception {
    GoPackager.Result r = packager(go()).pack(spec("example.com/vec"));
    assertThat(r.name()).isEqualTo(VECTOR_NAME);
    assertThat(entries(r.codePackage()).subList(0, 3)).extracting(Entry::name)
        .containsExactly("src/example.com/vec/a.go", "src/example.com/vec/b.go", "Dockerfile");
  }

  @Test
  void entriesOrderModesAndDockerfileFollowTheOriginal() throws Exception {
    GoPackager.Result r = packager(go()).pack(spec("example.com/cc/"));
    List<Entry> entries = entries(r.codePackage());
    assertThat(entries).extracting(Entry::name).containsExactly(
        // step 1: the chaincode's folder, everything, sorted per level (.git included)
        "src/example.com/cc/.git/HEAD",
        "src/example.com/cc/.hidden",
        "src/example.com/cc/README",
        "src/example.com/cc/main.go",
        "src/example.com/cc/sub/util.go",
        // step 2
        "Dockerfile",
        // step 3: .c/.h/.go/.yaml/.json of the rest of GOPATH/src, nothing whose path has .git
        "src/example.com/vec/a.go",
        "src/example.com/vec/b.go",
        "src/jpeer/shim/conf.yaml",
        "src/jpeer/shim/shim.go",
        "src/lib/data.json",
        "src/lib/x.c",
        "src/lib/x.h");
    Map<String, Entry> byName = new LinkedHashMap<>();
    entries.forEach(e -> byName.put(e.name(), e));
    long uid = ((Number) Files.getAttribute(gopath.resolve("src/lib/x.c"), "unix:uid")).longValue();
    Entry main = byName.get("src/example.com/cc/main.go");
    assertThat(main.mode()).isEqualTo(0100750);
    assertThat(main.uid()).isEqualTo(uid);
    assertThat(main.mtime()).isZero();
    assertThat(main.content()).isEqualTo("package main\n\nfunc main() {}\n");
    assertThat(byName.get("src/lib/x.c").mode()).isEqualTo(0100644);
    Entry dockerfile = byName.get("Dockerfile");
    assertThat(dockerfile.mode()).isZero();
    assertThat(dockerfile.uid()).isZero();
    assertThat(dockerfile.user()).isEmpty();
    assertThat(dockerfile.mtime()).isZero();
    assertThat(dockerfile.content()).isEqualTo("from hyperledger/fabric-baseimage\n"
        + "#from utxo:0.1.0\n"
        + "COPY src $GOPATH/src\n"
        + "WORKDIR $GOPATH\n"
        + "\n"
        + "RUN go install example.com/cc && cp src/github.com/hyperledger/fabric/peer/core.yaml "
        + "$GOPATH/bin && mv $GOPATH/bin/cc $GOPATH/bin/" + r.name());
    // the name hashes step 1's files in that order
    assertThat(r.name()).isEqualTo(ChaincodeNames.derive(ChaincodeNamesTest.CTOR, entries.subList(0, 5)
        .stream().map(e -> e.content().getBytes(StandardCharsets.UTF_8)).toList()));
  }

  @Test
  void withTlsTheCertificateIsTheLastEntryAndTheDockerfileCopiesIt() throws Exception {
    Path cert = Files.writeString(dir.resolve("server1.pem"), "CERT\n");
    GoPackager.Result r = packager(go().withTlsCertFile(Optional.of(cert))
        .withDockerfileTemplate("FROM base:$(PROJECT_VERSION)\n")).pack(spec("example.com/vec"));
    List<Entry> entries = entries(r.codePackage());
    Entry last = entries.get(entries.size() - 1);
    assertThat(last.name()).isEqualTo("src/certs/cert.pem");
    assertThat(last.content()).isEqualTo("CERT\n");
    assertThat(entries.get(2).content()).isEqualTo("FROM base:0.6.1-preview\n\n"
        + "RUN go install example.com/vec && cp src/github.com/hyperledger/fabric/peer/core.yaml "
        + "$GOPATH/bin && mv $GOPATH/bin/vec $GOPATH/bin/" + VECTOR_NAME + "\n"
        + "COPY src/certs/cert.pem " + cert);
  }

  @Test
  void theSameSourceGivesTheSameNameAndBytesFromAnyGopath() throws Exception {
    Path other = copyTree(gopath, dir.resolve("elsewhere/go"));
    Files.setPosixFilePermissions(other.resolve("src/example.com/cc/main.go"),
        PosixFilePermissions.fromString("rwxr-x---"));
    GoPackager.Result a = packager(go()).pack(spec("example.com/vec"));
    GoPackager.Result b = packager(GoOptions.defaults().withGopath(other.toString()))
        .pack(spec("example.com/vec"));
    assertThat(b.name()).isEqualTo(a.name());
    assertThat(entries(b.codePackage())).isEqualTo(entries(a.codePackage()));
    assertThat(java.util.Arrays.equals(b.codePackage(), a.codePackage())).isTrue();
    ChaincodeSpec otherArgs = spec("example.com/vec").toBuilder()
        .setCtorMsg(ChaincodeNamesTest.input("init", "a", "1")).build();
    assertThat(packager(go()).pack(otherArgs).name()).isNotEqualTo(a.name());
  }

  @Test
  void badInputGivesTheOriginalsTexts() throws Exception {
    GoPackager p = packager(go());
    assertThatThrownBy(() -> p.pack(spec("example.com/nope")))
        .hasMessage("Path to chaincode does not exist: example.com/nope");
    assertThatThrownBy(() -> p.pack(spec("/abs/example.com/cc")))
        .hasMessage("Path to chaincode does not exist: /abs/example.com/cc");
    assertThatThrownBy(() -> p.pack(spec("ex%zzample")))
        .hasMessage("invalid path: parse ex%zzample: invalid URL escape \"%zz\"");
    assertThatThrownBy(() -> p.pack(spec(":x")))
        .hasMessage("invalid path: parse :x: missing protocol scheme");
    assertThatThrownBy(() -> p.pack(spec("")))
        .hasMessage("Error getting chaincode package bytes: Cannot generate hashcode from empty "
            + "chaincode path");
    assertThatThrownBy(() -> p.pack(spec("example.com/vec").toBuilder()
        .setCtorMsg(ChaincodeInput.getDefaultInstance()).build()))
        .hasMessage("Error getting chaincode package bytes: Cannot generate hashcode from empty ctor");
    assertThatThrownBy(() -> p.pack(spec("example.com/vec/a.go")))
        .hasMessage("Error getting chaincode package bytes: code does not exist File "
            + gopath.resolve("src/example.com/vec/a.go") + " is not dir\n");
    // with a scheme ValidateSpec checks nothing; the package step does not find it
    assertThatThrownBy(() -> p.pack(spec("git://example.com/x")))
        .hasMessageStartingWith("Error getting chaincode package bytes: code does not exist "
            + "Download failed open ");
    assertThatThrownBy(() -> p.pack(spec("bad\u0000name")))
        .hasMessage("Error validating chaincode path: stat " + gopath.resolve("src")
            + "/bad\u0000name: invalid argument");
    assertThatThrownBy(() -> p.pack(spec("http://example.com/bad\u0000name")))
        .hasMessageStartingWith("Error getting chaincode package bytes: Error getting code ");
    assertThatThrownBy(() -> packager(GoOptions.defaults().withGopath("")).pack(spec("x")))
        .hasMessageStartingWith("GOPATH not defined");
  }

  @Test
  void aPathLeadingOutOfGopathIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("secret"));
    assertThatThrownBy(() -> packager(go()).pack(spec("../../secret")))
        .hasMessage("Error validating chaincode path: ../../secret leads outside "
            + gopath.resolve("src") + " (jpeer packages chaincode from GOPATH only)");
  }

  @Test
  void aGoGetThatHangsIsKilledAfterTheDeployTimeoutAndLeavesNothing() throws Exception {
    // a stand-in for go whose child never ends, as a git clone that waits for credentials
    Path fakeGo = Files.writeString(dir.resolve("fake-go"), "#!/bin/sh\nsleep 60\n");
    Files.setPosixFilePermissions(fakeGo, PosixFilePermissions.fromString("rwx------"));
    long start = System.nanoTime();
    GoPackager p = new GoPackager(go().withGoCommand(fakeGo.toString()), Duration.ofMillis(500));
    assertThatThrownBy(() -> p.pack(spec("https://example.com/x/y")))
        .hasMessage("Error getting chaincode package bytes: Error getting code Getting chaincode "
            + "took too long");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    try (Stream<Path> left = Files.list(gopath.resolve("_usercode_"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aFetchedChaincodeIsHashedFromTheTemporaryGopath() throws Exception {
    // a stand-in for go get that "downloads" the vector's two files into the first GOPATH entry
    Path fakeGo = Files.writeString(dir.resolve("fake-go"), "#!/bin/sh\n"
        + "d=\"${GOPATH%%:*}/src/$2\"; mkdir -p \"$d\"\n"
        + "printf 'package main\\n' > \"$d/a.go\"; printf '// second file\\n' > \"$d/b.go\"\n");
    Files.setPosixFilePermissions(fakeGo, PosixFilePermissions.fromString("rwx------"));
    GoPackager.Result r = new GoPackager(go().withGoCommand(fakeGo.toString()),
        Duration.ofSeconds(30)).pack(spec("http://example.org/remote/cc/"));
    assertThat(r.name()).isEqualTo(VECTOR_NAME);
    List<Entry> entries = entries(r.codePackage());
    assertThat(entries.subList(0, 3)).extracting(Entry::name).containsExactly(
        "src/example.org/remote/cc/a.go", "src/example.org/remote/cc/b.go", "Dockerfile");
    assertThat(entries.get(2).content()).contains("RUN go install example.org/remote/cc && ")
        .endsWith("mv $GOPATH/bin/cc $GOPATH/bin/" + VECTOR_NAME);
    try (Stream<Path> left = Files.list(gopath.resolve("_usercode_"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aGoGetThatFailsReportsGosError() throws Exception {
    GoBuildTest.assumeGo(); // required in CI (JPEER_REQUIRE_GO=1), skipped only without go elsewhere
    GoPackager p = new GoPackager(go(), Duration.ofSeconds(60));
    assertThatThrownBy(() -> p.pack(spec("https://127.0.0.1:1/x/y")))
        .hasMessageStartingWith("Error getting chaincode package bytes: Error getting code "
            + "'go get' failed with error: \"exit status 1\"\n");
  }
}
