package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java chaincode jars hold only their own classes and the peer provides the shim runtime; jars that
 * carry their own shim (every jar deployed before) run as they did.
 */
class ThinChaincodeIT {
  static final Path TARGET = Path.of(System.getProperty("examples.dir", "target")).toAbsolutePath();
  static final Path EXAMPLE02 = TARGET.resolve("example02.jar");

  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void example02IsDeployedAsItsOwnClassesAndRunsOnTheShimThePeerProvides() throws Exception {
    ChaincodeHarness peer = kit.own(ChaincodeHarness.processRuntime(kit.dir()));
    assertThat(peer.options().java().shimJar()).as("the shim runtime found beside the peer's code")
        .hasValueSatisfying(p -> assertThat(p.getFileName().toString()).isEqualTo(ShimRuntime.FILE_NAME));

    Transaction deploy = peer.deployTx(EXAMPLE02, "init", "a", "100", "b", "200");
    assertThat(deploy.getSerializedSize()).as("bytes of example02's deploy transaction")
        .isLessThan(64 * 1024);
    String name = deploy.getTxid();
    peer.run(deploy);
    peer.invoke(name, "invoke", "a", "b", "10");
    assertThat(peer.query(name, "query", "b")).isEqualTo("210");

    Path dir = kit.dir().resolve("chaincode").resolve(name);
    Path link = dir.resolve(ShimRuntime.FILE_NAME);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(peer.options().java().shimJar().orElseThrow().toAbsolutePath());
  }

  @Test
  void aJarThatCarriesItsOwnShimRunsAsBefore() throws Exception {
    Path fat = kit.dir().resolve("example02-with-shim.jar");
    fatJar(EXAMPLE02, TARGET.resolve(ShimRuntime.FILE_NAME), fat);
    assertThat(ShimRuntime.requiredBy(fat)).isEmpty();
    // no shim runtime on this peer at all: the jar needs none
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(),
        o -> o.withJava(new JavaOptions(Optional.empty(), o.java().jvmOptions()))));

    String name = peer.deploy(fat, "init", "a", "100", "b", "200");
    peer.invoke(name, "invoke", "a", "b", "10");
    assertThat(peer.query(name, "query", "a")).isEqualTo("90");
    try (var files = Files.list(kit.dir().resolve("chaincode").resolve(name))) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(ShimRuntime.FILE_NAME);
    }
  }

  @Test
  void aJarBuiltAgainstAnotherShimVersionIsRefusedWithBothNames() throws Exception {
    Path other = kit.dir().resolve("example02-other-shim.jar");
    withClassPath(EXAMPLE02, "jpeer-shim-runtime-9.9.9.jar", other);
    ChaincodeHarness peer = kit.own(ChaincodeHarness.processRuntime(kit.dir()));
    Transaction deploy = peer.deployTx(other, "init", "a", "1", "b", "2");
    assertThatThrownBy(() -> peer.run(deploy))
        .hasMessageContaining("was built against the shim runtime jpeer-shim-runtime-9.9.9.jar; "
            + "this peer provides " + ShimRuntime.FILE_NAME);
    assertThat(peer.ledger().transaction(deploy.getTxid())).isEmpty();
    assertThat(peer.ledger().failure(deploy.getTxid())).isPresent();
  }

  @Test
  void aThinJarOnAPeerWithoutTheShimRuntimeSaysWhatIsMissing() throws Exception {
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(),
        o -> o.withJava(new JavaOptions(Optional.empty(), List.of()))));
    Transaction deploy = peer.deployTx(EXAMPLE02, "init", "a", "1", "b", "2");
    assertThatThrownBy(() -> peer.run(deploy))
        .hasMessageContaining("needs the shim runtime " + ShimRuntime.FILE_NAME
            + ", which this peer did not find")
        .hasMessageContaining("chaincode.java.shimjar");
  }

  @Test
  void aShimJarKeyNamingNoFileIsReportedAsSuch() throws Exception {
    Path missing = kit.dir().resolve("no-such-shim.jar");
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(),
        o -> o.withJava(new JavaOptions(Optional.of(missing), List.of()))));
    Transaction deploy = peer.deployTx(EXAMPLE02, "init", "a", "1", "b", "2");
    assertThatThrownBy(() -> peer.run(deploy))
        .hasMessageContaining("but " + missing + " (chaincode.java.shimjar) is not a readable file");
  }

  @Test
  void theJvmOptionsReachTheChaincodeProcess() throws Exception {
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(), o -> o.withJava(
        new JavaOptions(o.java().shimJar(), List.of("-Xmx48m", "-Djpeer.test.marker=thin")))));
    String name = peer.deploy(EXAMPLE02, "init", "a", "1", "b", "2");
    ProcessRuntime runtime = (ProcessRuntime) peer.support().runtime();
    ProcessHandle process = runtime.process(name).orElseThrow();
    assertThat(process.info().arguments().orElseThrow())
        .contains("-Xmx48m", "-Djpeer.test.marker=thin", "-jar", "chaincode.jar");
    // the package in the block is what the deploy carried: the thin jar itself
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.parseFrom(
        peer.ledger().transaction(name).orElseThrow().getPayload());
    byte[] jar = CodePackage.read(cds.getCodePackage().toByteArray(), CodePackage.JAR_ENTRY).orElseThrow();
    assertThat(jar).isEqualTo(Files.readAllBytes(EXAMPLE02));
  }

  /** The old packaging: the chaincode's classes and the whole shim runtime in one jar, no Class-Path. */
  private static void fatJar(Path thin, Path runtime, Path out) throws IOException {
    Manifest manifest;
    try (JarFile j = new JarFile(thin.toFile())) {
      manifest = new Manifest(j.getManifest());
    }
    manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
    Set<String> seen = new HashSet<>();
    try (OutputStream o = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(o, manifest)) {
      seen.add(JarFile.MANIFEST_NAME);
      for (Path source : List.of(thin, runtime)) {
        copyEntries(source, jar, seen);
      }
    }
  }

  private static void withClassPath(Path thin, String classPath, Path out) throws IOException {
    Manifest manifest;
    try (JarFile j = new JarFile(thin.toFile())) {
      manifest = new Manifest(j.getManifest());
    }
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    Set<String> seen = new HashSet<>(Set.of(JarFile.MANIFEST_NAME));
    try (OutputStream o = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(o, manifest)) {
      copyEntries(thin, jar, seen);
    }
  }

  private static void copyEntries(Path source, JarOutputStream jar, Set<String> seen) throws IOException {
    try (InputStream in = Files.newInputStream(source); JarInputStream entries = new JarInputStream(in)) {
      for (JarEntry e = entries.getNextJarEntry(); e != null; e = entries.getNextJarEntry()) {
        if (e.isDirectory() || !seen.add(e.getName())) {
          continue;
        }
        jar.putNextEntry(new JarEntry(e.getName()));
        entries.transferTo(jar);
        jar.closeEntry();
      }
    }
  }
}
