package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packaging and naming of JAVA deploys, and the refusals of other platforms. */
class DeployPreparerTest {
  @TempDir Path dir;

  DeployPreparer net() {
    return new DeployPreparer(ChaincodeOptions.defaults(dir, "127.0.0.1:1"));
  }

  static ChaincodeSpec spec(ChaincodeSpec.Type type, String path) {
    return ChaincodeSpec.newBuilder().setType(type)
        .setChaincodeID(ChaincodeID.newBuilder().setPath(path))
        .setCtorMsg(ChaincodeNamesTest.CTOR).build();
  }

  Path folderWithJar(String folder, String jarContent) throws Exception {
    Path f = Files.createDirectories(dir.resolve(folder));
    Files.writeString(f.resolve("chaincode-1.0.jar"), jarContent);
    Files.writeString(f.resolve("README.txt"), "ignored");
    return f;
  }

  @Test
  void twoPackagingsOfTheSameFolderAreByteIdenticalAndNamedFromTheJarContent() throws Exception {
    Path folder = folderWithJar("cc", "jar bytes");
    ChaincodeDeploymentSpec first = net().prepare(spec(ChaincodeSpec.Type.JAVA, folder.toString()));
    // a second copy made later: other mtimes, same content
    Path copy = folderWithJar("copy", "jar bytes");
    Files.setLastModifiedTime(copy.resolve("chaincode-1.0.jar"),
        java.nio.file.attribute.FileTime.fromMillis(123456789));
    ChaincodeDeploymentSpec second = net().prepare(spec(ChaincodeSpec.Type.JAVA, copy.toString()));

    assertThat(second.getCodePackage()).isEqualTo(first.getCodePackage());
    String name = first.getChaincodeSpec().getChaincodeID().getName();
    assertThat(name).isEqualTo(ChaincodeNames.derive(ChaincodeNamesTest.CTOR,
        List.of("jar bytes".getBytes(StandardCharsets.UTF_8))));
    assertThat(first.getChaincodeSpec().getChaincodeID().getPath()).isEqualTo(folder.toString());
    assertThat(first.getExecEnv()).isEqualTo(ChaincodeDeploymentSpec.ExecutionEnvironment.DOCKER);
  }

  @Test
  void packageEntriesAreSortedWithFixedMetadata() throws Exception {
    Path folder = folderWithJar("cc", "jar bytes");
    byte[] pkg = net().prepare(spec(ChaincodeSpec.Type.JAVA, folder.toString()))
        .getCodePackage().toByteArray();
    // gzip header: no mtime (bytes 4..7 zero), OS "unknown" (255)
    assertThat(pkg[4] | pkg[5] | pkg[6] | pkg[7]).isZero();
    assertThat(pkg[9] & 0xff).isEqualTo(255);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(pkg)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getModTime().getTime()).isZero();
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLongGroupId()).isZero();
        assertThat(e.getMode()).isEqualTo(0100644);
      }
    }
    assertThat(names).containsExactly("Dockerfile", "chaincode.jar");
    assertThat(new String(CodePackage.read(pkg, "Dockerfile").orElseThrow(),
        StandardCharsets.UTF_8)).startsWith("FROM " + ChaincodeOptions.DEFAULT_BASE_IMAGE + "\n");
    assertThat(CodePackage.read(pkg, "chaincode.jar")).hasValueSatisfying(
        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("jar bytes"));
  }

  @Test
  void aJarFileCanBeGivenDirectly() throws Exception {
    Path folder = folderWithJar("cc", "jar bytes");
    ChaincodeDeploymentSpec byFile = net().prepare(
        spec(ChaincodeSpec.Type.JAVA, folder.resolve("chaincode-1.0.jar").toString()));
    ChaincodeDeploymentSpec byFolder = net().prepare(
        spec(ChaincodeSpec.Type.JAVA, folder.toString()));
    assertThat(byFile.getCodePackage()).isEqualTo(byFolder.getCodePackage());
  }

  @Test
  void differentInitArgumentsGiveADifferentName() throws Exception {
    Path folder = folderWithJar("cc", "jar bytes");
    ChaincodeSpec a = spec(ChaincodeSpec.Type.JAVA, folder.toString());
    ChaincodeSpec b = a.toBuilder().setCtorMsg(ChaincodeNamesTest.input("init", "x")).build();
    assertThat(net().prepare(a).getChaincodeSpec().getChaincodeID().getName())
        .isNotEqualTo(net().prepare(b).getChaincodeSpec().getChaincodeID().getName());
  }

  @Test
  void badPathsAreClearErrors() throws Exception {
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.JAVA,
        dir.resolve("missing").toString())))
        .isInstanceOf(ChaincodeException.class).hasMessageEndingWith("missing does not exist");
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.JAVA, "")))
        .hasMessageStartingWith("chaincode path is empty");
    Path two = Files.createDirectories(dir.resolve("two"));
    Files.writeString(two.resolve("a.jar"), "a");
    Files.writeString(two.resolve("b.jar"), "b");
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.JAVA, two.toString())))
        .hasMessageContaining("must hold exactly one .jar file").hasMessageContaining("[a.jar, b.jar]");
    Path none = Files.createDirectories(dir.resolve("none"));
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.JAVA, none.toString())))
        .hasMessageEndingWith("found none");
    Path txt = Files.writeString(dir.resolve("code.txt"), "x");
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.JAVA, txt.toString())))
        .hasMessageEndingWith("is a file but not a .jar");
  }

  @Test
  void golangIsPackagedFromGopathInNetworkMode() throws Exception {
    Path gopath = GoPackagerTest.copyTree(GoPackagerTest.fixture(), dir.resolve("go"));
    DeployPreparer preparer = new DeployPreparer(ChaincodeOptions.defaults(dir, "127.0.0.1:1")
        .withGolang(GoOptions.defaults().withGopath(gopath.toString())));
    ChaincodeDeploymentSpec cds = preparer.prepare(spec(ChaincodeSpec.Type.GOLANG, "example.com/vec"));
    assertThat(cds.getChaincodeSpec().getChaincodeID().getName()).isEqualTo(GoPackagerTest.VECTOR_NAME);
    assertThat(cds.getChaincodeSpec().getChaincodeID().getPath()).isEqualTo("example.com/vec");
    assertThat(cds.getExecEnv()).isEqualTo(ChaincodeDeploymentSpec.ExecutionEnvironment.DOCKER);
    assertThat(GoPackagerTest.entries(cds.getCodePackage().toByteArray()).get(0).name())
        .isEqualTo("src/example.com/vec/a.go");
    assertThatThrownBy(() -> preparer.prepare(spec(ChaincodeSpec.Type.GOLANG, "github.com/x/y")))
        .hasMessage("Path to chaincode does not exist: github.com/x/y");
  }

  @Test
  void otherPlatformsAreRefusedInNetworkMode() {
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.NODE, "x")))
        .hasMessageStartingWith("Unknown chaincodeType NODE");
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.UNDEFINED, "x")))
        .hasMessageStartingWith("Unknown chaincodeType UNDEFINED");
    assertThatThrownBy(() -> net().prepare(spec(ChaincodeSpec.Type.CAR, "x")))
        .hasMessageStartingWith("chaincode type CAR is not supported");
  }

  @Test
  void devModeKeepsTheGivenNameAndBuildsNoPackage() throws Exception {
    DeployPreparer dev = new DeployPreparer(ChaincodeOptions.defaults(dir, "127.0.0.1:1")
        .withMode(ChaincodeOptions.Mode.DEV));
    ChaincodeSpec golang = spec(ChaincodeSpec.Type.GOLANG, "github.com/x/y").toBuilder()
        .setChaincodeID(ChaincodeID.newBuilder().setName("mycc")).build();
    ChaincodeDeploymentSpec cds = dev.prepare(golang);
    assertThat(cds.getChaincodeSpec().getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(cds.getCodePackage().isEmpty()).isTrue();
    assertThatThrownBy(() -> dev.prepare(spec(ChaincodeSpec.Type.GOLANG, "x")))
        .hasMessageStartingWith("deploy in dev mode needs the chaincode name");
  }

  @Test
  void devModeDeployPayloadMatchesTheOriginal() throws Exception {
    DeployPreparer dev = new DeployPreparer(ChaincodeOptions.defaults(dir, "127.0.0.1:1")
        .withMode(ChaincodeOptions.Mode.DEV));
    ChaincodeSpec spec = ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.GOLANG)
        .setChaincodeID(ChaincodeID.newBuilder().setName("mycc"))
        .setCtorMsg(ChaincodeNamesTest.CTOR).build();
    assertThat(java.util.Base64.getEncoder().encodeToString(dev.prepare(spec).toByteArray()))
        .isEqualTo("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw");
  }
}
