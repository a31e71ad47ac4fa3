package org.jpeer.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.chaincode.JavaOptions;
import org.jpeer.config.ConfigException;
import org.jpeer.config.ConfigInputs;
import org.jpeer.config.JpeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How chaincode.* and vm.* reach chaincode support: runtime choice, Docker settings, timeouts. */
class ChaincodeOptionsWiringTest {
  @TempDir Path dir;

  private ChaincodeOptions options(Map<String, String> env) {
    return NodeComposition.chaincodeOptions(JpeerConfig.load(new ConfigInputs(env, dir, List.of())),
        "127.0.0.1:7051");
  }

  @Test
  void defaultsRunChaincodeAsLocalProcesses() {
    ChaincodeOptions o = options(Map.of());
    assertThat(o.runtime()).isEqualTo(ChaincodeOptions.RuntimeKind.PROCESS);
    assertThat(o.mode()).isEqualTo(ChaincodeOptions.Mode.NET);
    assertThat(o.peerAddress()).isEqualTo("127.0.0.1:7051");
    assertThat(o.executeTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void dockerRuntimeTakesTheEngineImageAndHostConfigFromConfig() {
    ChaincodeOptions o = options(Map.of(
        "CORE_CHAINCODE_RUNTIME", "docker",
        "CORE_VM_ENDPOINT", "unix:///tmp/x/docker.sock",
        "CORE_CHAINCODE_JAVA_BASEIMAGE", "example/javaenv:1",
        "CORE_VM_DOCKER_HOSTCONFIG_MEMORY", "536870912",
        "CORE_PEER_NETWORKID", "net1",
        "CORE_PEER_ID", "vp0"));
    assertThat(o.runtime()).isEqualTo(ChaincodeOptions.RuntimeKind.DOCKER);
    assertThat(o.dockerEndpoint()).isEqualTo("unix:///tmp/x/docker.sock");
    assertThat(o.baseImage()).isEqualTo("example/javaenv:1");
    assertThat(o.networkMode()).isEqualTo("host");
    assertThat(o.memoryBytes()).isEqualTo(536_870_912L);
    assertThat(o.vmNamePrefix()).isEqualTo(ChaincodeOptions.vmNamePrefix("net1", "vp0"));
  }

  @Test
  void javaChaincodeGetsTheMeasuredJvmOptionsAndTheShimRuntimeBesideThePeer() {
    ChaincodeOptions o = options(Map.of());
    assertThat(String.join(" ", o.java().jvmOptions())).isEqualTo(JavaOptions.DEFAULT_JVM_OPTIONS);
    // in a checkout: shim/target of the same version (the reactor builds it before the peer)
    assertThat(o.java().shimJar()).hasValueSatisfying(p -> assertThat(p.getFileName().toString())
        .startsWith("jpeer-shim-runtime-").endsWith(".jar"));
  }

  @Test
  void javaChaincodeOptionsComeFromTheirKeys() throws Exception {
    Path shim = java.nio.file.Files.createFile(dir.resolve("my-shim.jar"));
    ChaincodeOptions o = options(Map.of(
        "CORE_CHAINCODE_JAVA_JVMOPTIONS", "  -Xmx200m   -XX:+UseG1GC ",
        "CORE_CHAINCODE_JAVA_SHIMJAR", shim.toString()));
    assertThat(o.java().jvmOptions()).containsExactly("-Xmx200m", "-XX:+UseG1GC");
    assertThat(o.java().shimJar()).contains(shim);
    assertThat(options(Map.of("CORE_CHAINCODE_JAVA_JVMOPTIONS", "")).java().jvmOptions()).isEmpty();
  }

  @Test
  void golangTakesGopathToolchainAndTemplateFromConfig() {
    ChaincodeOptions o = options(Map.of(
        "CORE_CHAINCODE_GOLANG_GOPATH", "/srv/go:/other",
        "CORE_CHAINCODE_GOLANG_GO", "/opt/go/bin/go",
        "CORE_CHAINCODE_GOLANG_DOCKERFILE", "FROM x\n",
        "CORE_CHAINCODE_INSTALLPATH", "/usr/local/bin/"));
    assertThat(o.golang().gopath()).isEqualTo("/srv/go:/other");
    assertThat(o.golang().goCommand()).isEqualTo("/opt/go/bin/go");
    assertThat(o.golang().dockerfileTemplate()).isEqualTo("FROM x\n");
    assertThat(o.golang().installPath()).isEqualTo("/usr/local/bin/");
    ChaincodeOptions defaults = options(Map.of());
    String env = System.getenv("GOPATH");
    assertThat(defaults.golang().gopath()).isEqualTo(env == null ? "" : env);
    assertThat(defaults.golang().goCommand()).isEqualTo("go");
    assertThat(defaults.golang().installPath()).isEqualTo("/opt/gopath/bin/");
    assertThat(defaults.golang().dockerfileTemplate()).startsWith("from jpeer/goenv:latest\n");
  }

  @Test
  void devModeAndTimeoutsAreCarried() {
    ChaincodeOptions o = options(Map.of("CORE_CHAINCODE_MODE", "dev", "CORE_CHAINCODE_DEPLOYTIMEOUT", "5s"));
    assertThat(o.mode()).isEqualTo(ChaincodeOptions.Mode.DEV);
    assertThat(o.deployTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anUnknownRuntimeIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> options(Map.of("CORE_CHAINCODE_RUNTIME", "lxc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("chaincode.runtime")
        .hasMessageContaining("lxc")
        .hasMessageContaining("process, docker");
  }
}
