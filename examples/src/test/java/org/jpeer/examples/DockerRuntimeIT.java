package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jpeer.chaincode.ChaincodeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker runtime against a real engine (DOCKER_HOST; `.ci/docker-engine start` makes one):
 * builds the Java base image with docker/build-javaenv.sh, deploys example02 into a container
 * with host networking, invokes and queries it, and checks the container is gone afterwards.
 */
class DockerRuntimeIT {
  static final String BASE_IMAGE = "jpeer/javaenv:it";
  static DockerClient docker;
  static String endpoint;

  @BeforeAll
  static void engine() throws Exception {
    endpoint = System.getenv("DOCKER_HOST");
    assumeTrue(endpoint != null && !endpoint.isBlank(), "DOCKER_HOST is not set, so there is no "
        + "Docker engine to test against: Docker runtime tests skipped (start one with "
        + "`eval \"$(.ci/docker-engine start)\"`)");
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint)
        .build();
    docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).build());
    docker.pingCmd().exec();

    Path script = Path.of(System.getProperty("user.dir")).resolve("../docker/build-javaenv.sh")
        .normalize();
    Process build = new ProcessBuilder(script.toString(), BASE_IMAGE).inheritIO().start();
    assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(build.exitValue()).as("docker/build-javaenv.sh exit code").isZero();
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @TempDir Path dir;

  @Test
  void example02RunsInAContainer() throws Exception {
    String prefix = "jpeer-it-" + UUID.randomUUID().toString().substring(0, 8);
    String name;
    try (TestPeer peer = new TestPeer(dir, o -> o
        .withRuntime(ChaincodeOptions.RuntimeKind.DOCKER, endpoint)
        .withBaseImage(BASE_IMAGE)
        .withDocker("host", 512L << 20, prefix))) {
      name = peer.deploy("example02", "init", "a", "100", "b", "200");
      String container = prefix + "-" + name;
      assertThat(docker.inspectContainerCmd(container).exec().getState().getRunning()).isTrue();
      assertThat(docker.inspectContainerCmd(container).exec().getHostConfig().getNetworkMode())
          .isEqualTo("host");

      peer.invoke(name, "invoke", "a", "b", "10");
      assertThat(peer.query(name, "query", "a")).isEqualTo("90");
      assertThat(peer.query(name, "query", "b")).isEqualTo("210");
    }
    List<String> left = docker.listContainersCmd().withShowAll(true).exec().stream()
        .flatMap(c -> List.of(c.getNames()).stream()).filter(n -> n.contains(prefix)).toList();
    assertThat(left).as("containers left after the peer stopped").isEmpty();
    docker.removeImageCmd(prefix + "-" + name).withForce(true).exec();
  }
}
