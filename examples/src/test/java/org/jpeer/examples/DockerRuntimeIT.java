package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.examples.ExampleJars.jar;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Docker runtime against a real engine (DOCKER_HOST; `.ci/docker-engine start` makes one):
 * builds the Java base image with docker/build-javaenv.sh, deploys example02 into a container
 * with host networking, invokes and queries it, and checks the container is gone afterwards.
 *
 * <p>Without an engine a developer's build skips it with a message; CI sets
 * {@code JPEER_REQUIRE_DOCKER=1}, and then a missing engine fails it: a skipped test proves nothing.
 */
class DockerRuntimeIT {
  static final String BASE_IMAGE = "jpeer/javaenv:it";
  static DockerClient docker;
  static String endpoint;

  @RegisterExtension final TestKit kit = new TestKit();

  @BeforeAll
  static void engine() throws Exception {
    endpoint = System.getenv("DOCKER_HOST");
    boolean required = "1".equals(System.getenv("JPEER_REQUIRE_DOCKER"));
    if (endpoint == null || endpoint.isBlank()) {
      String why = "DOCKER_HOST is not set, so there is no Docker engine to test the Docker runtime against";
      if (required) {
        throw new AssertionError(why + ", and JPEER_REQUIRE_DOCKER=1 requires one (.ci/run starts it)");
      }
      Assumptions.abort(why + ": Docker runtime tests skipped (start one with "
          + "`eval \"$(.ci/docker-engine start)\"`; CI requires them with JPEER_REQUIRE_DOCKER=1)");
    }
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).build();
    docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).build());
    docker.pingCmd().exec(); // an unreachable engine fails here, required or not: DOCKER_HOST says it exists

    Path root = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    ChildProcess.Result build = ChildProcess.run("build-javaenv", List.of(root.resolve("docker/build-javaenv.sh")
        .toString(), BASE_IMAGE), root, Map.of("DOCKER_HOST", endpoint, "HOME", System.getProperty("user.home")), root.resolve("examples/target"),
        java.time.Duration.ofMinutes(5));
    assertThat(build.exitCode()).as("docker/build-javaenv.sh: %s", build.describe()).isZero();
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void example02RunsInAContainer() throws Exception {
    String prefix = "jpeer-it-" + UUID.randomUUID().toString().substring(0, 8);
    String name;
    ch.qos.logback.classic.Logger runtimeLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger("org.jpeer.chaincode.DockerRuntime");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    ch.qos.logback.classic.Level level = runtimeLog.getLevel();
    runtimeLog.setLevel(ch.qos.logback.classic.Level.INFO); // the peer's default for org.jpeer
    runtimeLog.addAppender(lines);
    try (ChaincodeHarness peer = ChaincodeHarness.dockerRuntime(kit.dir(), endpoint, BASE_IMAGE, prefix)) {
      name = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");
      runtimeLog.detachAppender(lines);
      runtimeLog.setLevel(level);
      String image = prefix + "-" + name;
      // the operator sees the image build progress at INFO: a line before, one per Dockerfile step, one after
      List<String> info = lines.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
          .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
      assertThat(info).anyMatch(m -> m.startsWith("Building image " + image));
      assertThat(info).anyMatch(m -> m.matches("image " + prefix + "-\\S+: Step 1/\\d+ : FROM .*"));
      assertThat(info).anyMatch(m -> m.matches("Built image " + prefix + "-\\S+ in \\d+ ms"));
      String container = prefix + "-" + name;
      assertThat(docker.inspectContainerCmd(container).exec().getState().getRunning()).isTrue();
      assertThat(docker.inspectContainerCmd(container).exec().getHostConfig().getNetworkMode())
          .isEqualTo("host");

      String txid = peer.invoke(name, "invoke", "a", "b", "10");
      assertThat(peer.ledger().transaction(txid)).isPresent();
      assertThat(peer.query(name, "query", "a")).isEqualTo("90");
      assertThat(peer.query(name, "query", "b")).isEqualTo("210");
    }
    List<String> left = docker.listContainersCmd().withShowAll(true).exec().stream()
        .flatMap(c -> List.of(c.getNames()).stream()).filter(n -> n.contains(prefix)).toList();
    assertThat(left).as("containers left after the peer stopped").isEmpty();
    docker.removeImageCmd(prefix + "-" + name).withForce(true).exec();
  }
}
