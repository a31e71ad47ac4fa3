package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jpeer.crypto.Hashes;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Go chaincode deployed by path over REST, as a user does it with curl, on a real peer in the
 * process runtime with the real Go toolchain: the peer's GOPATH holds a copy of
 * {@code examples/go}; deploy {@code jpeer/examples/chaincode_example02}, the seed's invoke and
 * query; the name is the chaincode.md §4 derivation; after a restart the chaincode is relaunched
 * from the binary built before. Skipped without {@code go} on PATH unless {@code JPEER_REQUIRE_GO=1}.
 */
class GoChaincodeEndToEndTest {
  static final String EXAMPLE02 = "jpeer/examples/chaincode_example02";
  /** A cold build compiles gRPC: minutes on a shared machine. */
  static final Duration BUILD_PATIENCE = Duration.ofMinutes(8);

  @RegisterExtension final TestKit kit = new TestKit();

  static String goSpec(String chaincodeId, String... args) {
    return "{\"type\":1,\"chaincodeID\":" + chaincodeId + ",\"ctorMsg\":{\"args\":[\""
        + String.join("\",\"", args) + "\"]}}";
  }

  static boolean goOnPath() {
    String path = System.getenv("PATH");
    return path != null && Arrays.stream(path.split(":"))
        .anyMatch(d -> !d.isBlank() && Files.isExecutable(Path.of(d, "go")));
  }

  static void assumeGo() {
    boolean go = goOnPath();
    if ("1".equals(System.getenv("JPEER_REQUIRE_GO"))) {
      assertThat(go).as("JPEER_REQUIRE_GO=1 but there is no go on PATH").isTrue();
    }
    Assumptions.assumeTrue(go, "no go on PATH (set JPEER_REQUIRE_GO=1 to require it)");
  }

  /** A GOPATH for the peer holding a copy of the project's examples/go sources. */
  Path gopath() throws IOException {
    Path from = Path.of("..", "examples", "go", "src").toAbsolutePath().normalize();
    Path to = kit.dir().resolve("gopath");
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve("src").resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  /** chaincode.md §4: h = H(ctor), then h = H(content ‖ h) per file of the folder in walk order. */
  static String expectedName(Path folder, String... ctorArgs) throws IOException {
    org.jpeer.protos.ChaincodeInput.Builder ctor = org.jpeer.protos.ChaincodeInput.newBuilder();
    for (String a : ctorArgs) {
      ctor.addArgs(com.google.protobuf.ByteString.copyFromUtf8(a));
    }
    byte[] h = Hashes.shake256(ctor.build().toByteArray());
    for (Path file : sortedWalk(folder)) {
      byte[] content = Files.readAllBytes(file);
      byte[] buf = Arrays.copyOf(content, content.length + h.length);
      System.arraycopy(h, 0, buf, content.length, h.length);
      h = Hashes.shake256(buf);
    }
    return HexFormat.of().formatHex(h);
  }

  static List<Path> sortedWalk(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    }
    for (Path c : children) {
      if (Files.isDirectory(c)) {
        out.addAll(sortedWalk(c));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  PeerEnv env(Path gopath) {
    PeerEnv env = kit.env("peer").with("GOPATH", gopath.toString());
    // the peer's HOME is the test's folder: share the user's build cache, or every run compiles gRPC
    String cache = System.getenv("GOCACHE");
    return env.with("GOCACHE", cache != null ? cache
        : Path.of(System.getProperty("user.home"), ".cache", "go-build").toString());
  }

  @Test
  void goExample02ByPathBuiltRunAndRelaunchedWithoutRebuilding() throws Exception {
    assumeGo();
    Path gopath = gopath();
    LocalPeer peer = kit.peer(env(gopath));
    RestClient rest = peer.rest();

    RestClient.Reply deploy = rest.rpc("deploy",
        goSpec("{\"path\":\"" + EXAMPLE02 + "\"}", "init", "a", "100", "b", "200"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String name = deploy.json().at("/result/message").asText();
    assertThat(name).isEqualTo(expectedName(gopath.resolve("src").resolve(EXAMPLE02),
        "init", "a", "100", "b", "200"));
    Await.until("the deploy block (the first build compiles gRPC)", BUILD_PATIENCE,
        () -> rest.height() == 2, peer.process().watch());
    RestClient.Reply committed = rest.get("/transactions/" + name);
    assertThat(committed.status()).as(committed.body()).isEqualTo(200);

    RestClient.Reply invoke = rest.rpc("invoke", goSpec("{\"name\":\"" + name + "\"}",
        "invoke", "a", "b", "10"), "2");
    assertThat(invoke.status()).as(invoke.body()).isEqualTo(200);
    String txid = invoke.json().at("/result/message").asText();
    peer.await("the invoke block", () -> rest.height() == 3);
    assertThat(rest.get("/transactions/" + txid).status()).isEqualTo(200);
    assertThat(rest.rpc("query", goSpec("{\"name\":\"" + name + "\"}", "query", "a"), "3").body())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"90\"},\"id\":3}");

    Path binary = peer.env().fileSystemPath().resolve("chaincode/go/" + name + "/" + name);
    assertThat(Files.isExecutable(binary)).as(binary.toString()).isTrue();
    long builtAt = Files.getLastModifiedTime(binary).toMillis();
    assertThat(peer.chaincodeProcesses()).as("example02's process").isNotEmpty();

    assertThat(peer.stop()).isEqualTo(143);
    peer.restart();
    // the query relaunches the chaincode from its deploy transaction (READY, no INIT)
    assertThat(peer.rest().rpc("query", goSpec("{\"name\":\"" + name + "\"}", "query", "b"), "4")
        .body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"210\"},\"id\":4}");
    assertThat(Files.getLastModifiedTime(binary).toMillis()).as("not rebuilt").isEqualTo(builtAt);
    assertThat(peer.output().split("Building Go chaincode ", -1)).as("builds in both lives").hasSize(2);
  }

  static String txid(RestClient.Reply invoke) {
    assertThat(invoke.status()).as(invoke.body()).isEqualTo(200);
    return invoke.json().at("/result/message").asText();
  }

  static boolean committed(RestClient rest, String txid) {
    return rest.get("/transactions/" + txid).status() == 200;
  }

  /** The shim's DelState and range queries (paged by 100 on the peer) through the map example. */
  @Test
  void goMapExampleDeletesAndRangeQueriesThroughTheShim() throws Exception {
    assumeGo();
    LocalPeer peer = kit.peer(env(gopath()));
    RestClient rest = peer.rest();
    RestClient.Reply deploy = rest.rpc("deploy", goSpec("{\"path\":\"jpeer/examples/map\"}", "init"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String id = "{\"name\":\"" + deploy.json().at("/result/message").asText() + "\"}";
    Await.until("the deploy block", BUILD_PATIENCE, () -> rest.height() == 2, peer.process().watch());
    // noops may batch the two invokes into one block or two: await the transactions, not a height
    String fill = txid(rest.rpc("invoke", goSpec(id, "fill", "k", "150"), "2"));
    String put = txid(rest.rpc("invoke", goSpec(id, "put", "solo", "one"), "3"));
    peer.await("both invokes committed", () -> committed(rest, fill) && committed(rest, put));
    String remove = txid(rest.rpc("invoke", goSpec(id, "remove", "k7"), "4"));
    peer.await("the remove committed", () -> committed(rest, remove));

    assertThat(rest.rpc("query", goSpec(id, "get", "solo"), "5").json().at("/result/message").asText())
        .isEqualTo("one");
    String keys = rest.rpc("query", goSpec(id, "keys"), "6").json().at("/result/message").asText();
    List<String> listed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(keys,
        new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      if (i != 7) {
        expected.add("k" + i);
      }
    }
    expected.add("solo");
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * The Docker runtime: the package is the build context of {@code chaincode.golang.Dockerfile}
   * on a base image docker/build-goenv.sh makes; the container runs the original's command line.
   * Needs a Docker engine (DOCKER_HOST) and go; skipped without, unless JPEER_REQUIRE_DOCKER=1.
   */
  @Test
  void goExample02ByPathInTheDockerRuntime() throws Exception {
    String endpoint = System.getenv("DOCKER_HOST");
    boolean required = "1".equals(System.getenv("JPEER_REQUIRE_DOCKER"));
    if (endpoint == null || endpoint.isBlank()) {
      assertThat(required).as("JPEER_REQUIRE_DOCKER=1 but DOCKER_HOST is not set").isFalse();
      Assumptions.abort("DOCKER_HOST is not set: no Docker engine for the Go Docker runtime test");
    }
    assumeGo();
    var config = com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(endpoint).build();
    try (com.github.dockerjava.api.DockerClient docker = com.github.dockerjava.core.DockerClientImpl
        .getInstance(config, new com.github.dockerjava.httpclient5.ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost()).build())) {
      String suffix = Long.toHexString(System.nanoTime());
      String baseImage = "jpeer/goenv:e2e-" + suffix;
      Path root = Path.of("..").toAbsolutePath().normalize();
      org.jpeer.testkit.ChildProcess.Result build = org.jpeer.testkit.ChildProcess.run("build-goenv",
          List.of(root.resolve("docker/build-goenv.sh").toString(), baseImage), root,
          java.util.Map.of("DOCKER_HOST", endpoint, "HOME", System.getProperty("user.home")),
          kit.logDir(), Duration.ofMinutes(5));
      assertThat(build.exitCode()).as("docker/build-goenv.sh: %s", build.describe()).isZero();
      String peerId = "goe2e" + suffix;
      String image = null;
      try {
        Path gopath = gopath();
        LocalPeer peer = kit.peer(env(gopath)
            .with("CORE_CHAINCODE_RUNTIME", "docker")
            .with("CORE_VM_ENDPOINT", endpoint)
            .with("CORE_PEER_ID", peerId)
            .with("CORE_CHAINCODE_GOLANG_DOCKERFILE", "from " + baseImage + "\n"
                + "#from hyperledger/fabric-baseimage\nCOPY src $GOPATH/src\nWORKDIR $GOPATH\n"));
        RestClient rest = peer.rest();
        RestClient.Reply deploy = rest.rpc("deploy",
            goSpec("{\"path\":\"" + EXAMPLE02 + "\"}", "init", "a", "100", "b", "200"), "1");
        assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
        String name = deploy.json().at("/result/message").asText();
        image = "dev-" + peerId + "-" + name;
        Await.until("the deploy block (the image build compiles gRPC)", BUILD_PATIENCE,
            () -> rest.height() == 2, peer.process().watch());
        RestClient.Reply committed = rest.get("/transactions/" + name);
        assertThat(committed.status()).as(committed.body()).isEqualTo(200);
        var container = docker.inspectContainerCmd(image).exec();
        assertThat(container.getState().getRunning()).isTrue();
        assertThat(container.getPath()).isEqualTo("/opt/gopath/bin/" + name);
        assertThat(container.getArgs()).containsExactly("-peer.address=" + peer.grpc());
        assertThat(container.getConfig().getEnv()).contains("CORE_CHAINCODE_ID_NAME=" + name,
            "CORE_PEER_TLS_ENABLED=false");

        rest.rpc("invoke", goSpec("{\"name\":\"" + name + "\"}", "invoke", "a", "b", "10"), "2");
        peer.await("the invoke block", () -> rest.height() == 3);
        assertThat(rest.rpc("query", goSpec("{\"name\":\"" + name + "\"}", "query", "a"), "3").body())
            .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"90\"},\"id\":3}");
        // a chaincode that does not compile: the deploy fails with the compiler's first error,
        // and no image is left (neither of that name nor a half-built untagged one)
        int imagesBefore = docker.listImagesCmd().exec().size();
        Path broken = Files.createDirectories(gopath.resolve("src/example.com/broken"));
        Files.writeString(broken.resolve("main.go"), "package main\n\nfunc main() {\n\tnoSuchFunction()\n}\n");
        RestClient.Reply bad = rest.rpc("deploy", goSpec("{\"path\":\"example.com/broken\"}", "init"), "5");
        String badName = bad.json().at("/result/message").asText();
        Await.until("the broken deploy's block", BUILD_PATIENCE, () -> rest.height() == 4,
            peer.process().watch());
        RestClient.Reply failed = rest.get("/transactions/" + badName);
        assertThat(failed.status()).isEqualTo(404);
        assertThat(failed.body()).contains("go install failed: ")
            .contains("main.go:4:2: undefined: noSuchFunction");
        String badImage = "dev-" + peerId + "-" + badName;
        assertThat(docker.listImagesCmd().exec()).as("images after the failed build")
            .noneMatch(i -> i.getRepoTags() != null && Arrays.asList(i.getRepoTags()).contains(badImage + ":latest"))
            .hasSize(imagesBefore);

        assertThat(peer.stop()).isEqualTo(143);
        String stopped = image;
        Await.until("the container to be removed", Await.PATIENCE, () -> docker.listContainersCmd()
            .withShowAll(true).withNameFilter(List.of(stopped)).exec().isEmpty());
      } finally {
        if (image != null) {
          try {
            docker.removeContainerCmd(image).withForce(true).exec(); // left only if the test failed
          } catch (RuntimeException gone) {
            // removed by the runtime
          }
          try {
            docker.removeImageCmd(image).withForce(true).exec();
          } catch (RuntimeException gone) {
            // not built
          }
        }
        docker.removeImageCmd(baseImage).withForce(true).exec();
      }
    }
  }

  @Test
  void withoutAGoToolchainTheDeployIsRecordedAsFailedWithWhatToInstall() throws Exception {
    Path gopath = gopath();
    LocalPeer peer = kit.peer(env(gopath).with("CORE_CHAINCODE_GOLANG_GO", "/nonexistent/go"));
    RestClient rest = peer.rest();
    RestClient.Reply deploy = rest.rpc("deploy",
        goSpec("{\"path\":\"" + EXAMPLE02 + "\"}", "init", "a", "100", "b", "200"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String name = deploy.json().at("/result/message").asText();
    peer.await("the deploy's block", () -> rest.height() == 2);
    RestClient.Reply failed = rest.get("/transactions/" + name);
    assertThat(failed.status()).isEqualTo(404);
    assertThat(failed.body()).contains("failed in block 1")
        .contains("no Go toolchain ('/nonexistent/go' not found)")
        .contains("apt-get install golang-go");
    assertThat(peer.env().fileSystemPath().resolve("chaincode/go/" + name)).doesNotExist();
  }

  @Test
  void aChaincodeThatDoesNotCompileFailsItsDeployWithTheCompilersFirstError() throws Exception {
    assumeGo();
    Path gopath = gopath();
    Path broken = Files.createDirectories(gopath.resolve("src/example.com/broken"));
    Files.writeString(broken.resolve("main.go"), "package main\n\nfunc main() {\n\tnoSuchFunction()\n}\n");
    LocalPeer peer = kit.peer(env(gopath));
    RestClient rest = peer.rest();
    RestClient.Reply deploy = rest.rpc("deploy", goSpec("{\"path\":\"example.com/broken\"}", "init"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String name = deploy.json().at("/result/message").asText();
    Await.until("the deploy's block", BUILD_PATIENCE, () -> rest.height() == 2, peer.process().watch());
    RestClient.Reply failed = rest.get("/transactions/" + name);
    assertThat(failed.status()).isEqualTo(404);
    assertThat(failed.body()).contains("failed in block 1")
        .contains("go build example.com/broken failed: ")
        .contains("main.go:4:2: undefined: noSuchFunction");
    Path goDir = peer.env().fileSystemPath().resolve("chaincode/go");
    assertThat(goDir.resolve(name)).doesNotExist();
    try (Stream<Path> left = Files.list(goDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".build-"));
    }
    assertThat(peer.chaincodeProcesses()).isEmpty();
  }

  @Test
  void badPathsAreRefusedWithTheOriginalsTexts() throws Exception {
    Path gopath = gopath();
    LocalPeer peer = kit.peer(env(gopath));
    RestClient.Reply missing = peer.rest().rpc("deploy",
        goSpec("{\"path\":\"example.com/missing\"}", "init"), "1");
    assertThat(missing.body()).contains("Path to chaincode does not exist: example.com/missing");
    RestClient.Reply outside = peer.rest().rpc("deploy",
        goSpec("{\"path\":\"../../peer\"}", "init"), "2");
    assertThat(outside.body()).contains("Error validating chaincode path: ../../peer leads outside");
    assertThat(peer.rest().height()).isEqualTo(1);
    assertThat(new String(Files.readAllBytes(gopath.resolve("src/jpeer/shim/shim.go")),
        StandardCharsets.UTF_8)).contains("package shim");
  }
}
