package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.stream.Stream;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime's Go builds, with the real Go toolchain on the project's own Go example
 * ({@code examples/go}). Skipped without {@code go} on PATH, unless {@code JPEER_REQUIRE_GO=1}.
 */
class GoBuildTest {
  static final String EXAMPLE02 = "jpeer/examples/chaincode_example02";

  @TempDir Path dir;

  static void assumeGo() {
    boolean go = GoToolchain.locate("go").isPresent();
    if ("1".equals(System.getenv("JPEER_REQUIRE_GO"))) {
      assertThat(go).as("JPEER_REQUIRE_GO=1 but there is no go on PATH").isTrue();
    }
    Assumptions.assumeTrue(go, "no go on PATH (set JPEER_REQUIRE_GO=1 to require it)");
  }

  /** The project's examples/go GOPATH, found from the module's working directory. */
  static Path examplesGopath() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples/go/src/jpeer/shim"))) {
      p = p.getParent();
    }
    assertThat(p).as("examples/go above " + Path.of("").toAbsolutePath()).isNotNull();
    return p.resolve("examples/go");
  }

  ChaincodeOptions options(Path gopath) {
    return ChaincodeOptions.defaults(dir.resolve("peer"), "127.0.0.1:1")
        .withGolang(GoOptions.defaults().withGopath(gopath.toString()));
  }

  static ChaincodeDeploymentSpec deployment(ChaincodeOptions options, String path) throws Exception {
    GoPackager.Result r = new GoPackager(options.golang(), Duration.ofSeconds(30))
        .pack(DeployPreparerTest.spec(ChaincodeSpec.Type.GOLANG, path));
    ChaincodeSpec spec = DeployPreparerTest.spec(ChaincodeSpec.Type.GOLANG, path);
    return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec.toBuilder()
            .setChaincodeID(spec.getChaincodeID().toBuilder().setName(r.name())))
        .setCodePackage(ByteString.copyFrom(r.codePackage())).build();
  }

  @Test
  void buildsTheExampleOnceAndReusesTheBinary() throws Exception {
    assumeGo();
    Path gopath = GoPackagerTest.copyTree(examplesGopath(), dir.resolve("go"));
    ChaincodeOptions options = options(gopath);
    ChaincodeDeploymentSpec cds = deployment(options, EXAMPLE02);
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    Path binary = GoBuild.binary(options, name, cds);
    assertThat(binary).isEqualTo(options.fileSystemPath().resolve("chaincode/go/" + name + "/" + name));
    assertThat(Files.isExecutable(binary)).isTrue();
    Files.setLastModifiedTime(binary, FileTime.fromMillis(1_000_000_000_000L));
    assertThat(GoBuild.binary(options, name, cds)).isEqualTo(binary);
    assertThat(Files.getLastModifiedTime(binary).toMillis()).isEqualTo(1_000_000_000_000L);
    assertNoStaging(options);
  }

  @Test
  void aChaincodeThatDoesNotCompileFailsWithTheCompilersFirstErrorAndLeavesNothing()
      throws Exception {
    assumeGo();
    Path gopath = GoPackagerTest.copyTree(
        Path.of(GoBuildTest.class.getResource("/gopath-broken").toURI()), dir.resolve("go"));
    ChaincodeOptions options = options(gopath);
    ChaincodeDeploymentSpec cds = deployment(options, "example.com/broken");
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    assertThatThrownBy(() -> GoBuild.binary(options, name, cds))
        .hasMessageStartingWith("go build example.com/broken failed: ")
        .hasMessageContaining("main.go:4:2: undefined: undefinedThing");
    assertThat(GoBuild.folder(options, name)).doesNotExist();
    assertNoStaging(options);
  }

  @Test
  void noGoToolchainIsOneClearLine() throws Exception {
    Path gopath = GoPackagerTest.copyTree(GoPackagerTest.fixture(), dir.resolve("go"));
    ChaincodeOptions options = options(gopath);
    ChaincodeDeploymentSpec cds = deployment(options, "example.com/cc");
    ChaincodeOptions noGo = options.withGolang(options.golang().withGoCommand("/nonexistent/go"));
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    assertThatThrownBy(() -> GoBuild.binary(noGo, name, cds))
        .hasMessage("chaincode " + name + ": cannot build Go chaincode: no Go toolchain "
            + "('/nonexistent/go' not found): " + GoToolchain.INSTALL_HINT);
    assertThat(GoBuild.folder(options, name)).doesNotExist();
  }

  @Test
  void firstErrorPicksTheFirstCompilerLine() {
    assertThat(GoBuild.firstError("# example.com/x\nsrc/a.go:3:1: syntax error\nsrc/b.go:1:1: y\n"))
        .isEqualTo("src/a.go:3:1: syntax error");
    assertThat(GoBuild.firstError("can't load package: package x: cannot find package\n"))
        .isEqualTo("can't load package: package x: cannot find package");
  }

  static void assertNoStaging(ChaincodeOptions options) throws Exception {
    Path root = options.fileSystemPath().resolve("chaincode/go");
    if (Files.isDirectory(root)) {
      try (Stream<Path> list = Files.list(root)) {
        assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".build-"));
      }
    }
  }
}
