package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed docker/docker-compose.yml, end to end: builds the images with
 * docker/build-images.sh, starts the four PBFT peers with {@code docker-compose up -d} under a
 * project name and ports of its own, waits until Docker calls all four healthy, runs the seed flow
 * over REST (deploy example02 by path on vp0, move 10 from a to b, query on other peers), checks
 * that the four chains are equal and that each peer ran the chaincode in its own container, then
 * {@code docker-compose down -v} and checks that nothing of the project is left.
 *
 * <p>Without an engine (DOCKER_HOST) or without docker-compose a developer's build skips it; with
 * {@code JPEER_REQUIRE_DOCKER=1} (CI) either one missing fails it, as in {@link DockerRuntimeIT}.
 */
class ComposeNetworkIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
  private static final Path COMPOSE_FILE = ROOT.resolve("docker/docker-compose.yml");
  private static final List<String> PEERS = List.of("vp0", "vp1", "vp2", "vp3");
  private static final List<String> PORT_KINDS = List.of("REST", "GRPC", "EVENTS");
  /** Start-up of four peer JVMs on a shared 2-core machine; a deadline only bounds a failure. */
  private static final Duration HEALTHY_PATIENCE = Duration.ofMinutes(4);
  /** Four chaincode images built and four containers started on the first transaction. */
  private static final Duration FLOW_PATIENCE = Duration.ofMinutes(3);

  static DockerClient docker;
  static String endpoint;
  static String socket;
  static String compose;

  @RegisterExtension final TestKit kit = new TestKit();

  @BeforeAll
  static void engineAndCompose() throws Exception {
    endpoint = System.getenv("DOCKER_HOST");
    boolean required = "1".equals(System.getenv("JPEER_REQUIRE_DOCKER"));
    if (endpoint == null || endpoint.isBlank()) {
      skipOrFail(required, "DOCKER_HOST is not set, so there is no Docker engine to run the compose network on");
    }
    if (!endpoint.startsWith("unix://")) {
      // the peers reach the engine through its socket, mounted into their containers
      skipOrFail(required, "DOCKER_HOST=" + endpoint + " is not a unix socket, which the compose file mounts");
    }
    socket = endpoint.substring("unix://".length());
    compose = onPath("docker-compose");
    if (compose == null) {
      skipOrFail(required, "docker-compose is not on PATH (Debian's docker-compose package; .ci/run installs it)");
    }
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).build();
    docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).build());
    docker.pingCmd().exec(); // an unreachable engine fails here, required or not: DOCKER_HOST says it exists

    long start = System.nanoTime();
    ChildProcess.Result build = ChildProcess.run("build-images", List.of(ROOT.resolve("docker/build-images.sh").toString()),
        ROOT, Map.of("DOCKER_HOST", endpoint, "HOME", System.getProperty("user.home")),
        ROOT.resolve("examples/target"), Duration.ofMinutes(10));
    assertThat(build.exitCode()).as("docker/build-images.sh: %s", build.describe()).isZero();
    progress("docker/build-images.sh took " + since(start) + ":\n" + build.stdout().strip());
  }

  private static void skipOrFail(boolean required, String why) {
    if (required) {
      throw new AssertionError(why + ", and JPEER_REQUIRE_DOCKER=1 requires it (.ci/run provides it)");
    }
    Assumptions.abort(why + ": the compose network test is skipped (CI requires it with JPEER_REQUIRE_DOCKER=1)");
  }

  private static String onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void fourPbftPeersFromTheComposeFileRunTheSeedFlow() throws Exception {
    // compose project names are [a-z0-9_-]; the network and the chaincode names carry it too
    String project = "jpeerit" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Integer> ports = freePorts();
    Path envFile = writeEnvFile(project, ports);
    Path logs = kit.dir().resolve("logs");
    Map<String, String> env = Map.of("DOCKER_HOST", endpoint, "HOME", System.getProperty("user.home"));
    List<String> base = List.of(compose, "--ansi", "never", "--env-file", envFile.toString(), "-p", project,
        "-f", COMPOSE_FILE.toString());
    long start = System.nanoTime();
    try {
      run(base, env, logs, Duration.ofMinutes(3), "up", "-d");
      progress("docker-compose -p " + project + " up -d took " + since(start) + "; ports " + ports);
      awaitAllHealthy(project, base, env, logs);
      progress("all four peers healthy " + since(start) + " after up");

      Map<String, RestClient> rest = new LinkedHashMap<>();
      for (int i = 0; i < PEERS.size(); i++) {
        rest.put(PEERS.get(i), new RestClient(URI.create("http://127.0.0.1:" + ports.get(key(i, "REST")))));
      }
      RestClient vp0 = rest.get("vp0");
      // by path, as the quickstart does: the image holds examples/target/*.jar under its working directory
      RestClient.Reply deployed = vp0.rpc("deploy", "{\"type\":4,\"chaincodeID\":{\"path\":\"examples/target/example02.jar\"},"
          + "\"ctorMsg\":{\"args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}}", "1");
      assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
      assertThat(deployed.json().path("result").path("status").asText()).as(deployed.body()).isEqualTo("OK");
      String name = deployed.json().path("result").path("message").asText();
      assertThat(name).hasSize(128);
      // the deploy has committed on vp1 once it answers a query there
      assertThat(awaitQuery(rest.get("vp1"), name, "a", "100")).isEqualTo("100");

      RestClient.Reply invoked = vp0.rpc("invoke", "{\"type\":4,\"chaincodeID\":{\"name\":\"" + name + "\"},"
          + "\"ctorMsg\":{\"args\":[\"move\",\"a\",\"b\",\"10\"]}}", "2");
      assertThat(invoked.json().path("result").path("status").asText()).as(invoked.body()).isEqualTo("OK");
      assertThat(awaitQuery(rest.get("vp2"), name, "a", "90")).isEqualTo("90");
      assertThat(awaitQuery(rest.get("vp3"), name, "b", "210")).isEqualTo("210");

      // genesis, deploy, invoke: the same three blocks on every peer
      Map<String, String> chains = Await.result("all four peers at the same height >= 3 and block hash", FLOW_PATIENCE, () -> {
        Map<String, String> seen = new LinkedHashMap<>();
        for (var e : rest.entrySet()) {
          JsonNode chain = e.getValue().get("/chain").json();
          seen.put(e.getKey(), chain.path("height").asLong() + " " + chain.path("currentBlockHash").asText());
        }
        boolean same = seen.values().stream().distinct().count() == 1
            && Long.parseLong(seen.get("vp0").split(" ")[0]) >= 3;
        return same ? seen : null;
      }, Await.describing(() -> logsOf(base, env, logs)));
      assertThat(chains.get("vp0")).startsWith("3 ");
      progress("deploy, invoke and queries done, four equal chains of height 3, " + since(start) + " after up");

      // Docker runtime: every peer executed the chaincode in a container of its own on the network
      for (String peer : PEERS) {
        InspectContainerResponse cc = docker.inspectContainerCmd(project + "-" + peer + "-" + name).exec();
        assertThat(cc.getState().getRunning()).as(peer + "'s chaincode container").isTrue();
        assertThat(cc.getHostConfig().getNetworkMode()).isEqualTo(project);
      }
    } finally {
      logsOf(base, env, logs);
      long downStart = System.nanoTime();
      ChildProcess.Result down = ChildProcess.run("compose-down", cat(base, "down", "-v", "--remove-orphans"), ROOT,
          env, logs, Duration.ofMinutes(3));
      progress("docker-compose down -v took " + since(downStart));
      List<String> left = leftovers(project);
      // the chaincode images stay after a down by design (the next start reuses them); not here
      docker.listImagesCmd().exec().stream()
          .flatMap(i -> i.getRepoTags() == null ? java.util.stream.Stream.<String>empty() : List.of(i.getRepoTags()).stream())
          .filter(tag -> tag.startsWith(project + "-"))
          .forEach(tag -> docker.removeImageCmd(tag).withForce(true).exec());
      assertThat(down.exitCode()).as("docker-compose down -v: %s", down.describe()).isZero();
      assertThat(left).as("what docker-compose down -v left of project " + project).isEmpty();
    }
  }

  /** A line in the test's output: the CI log then tells where the minutes went. */
  private static void progress(String line) {
    System.out.println("ComposeNetworkIT: " + line);
  }

  private static String since(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  /** Twelve distinct free ports on 127.0.0.1, held together while they are chosen. */
  private static Map<String, Integer> freePorts() throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    try {
      for (int i = 0; i < PEERS.size(); i++) {
        for (String kind : PORT_KINDS) {
          ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          held.add(s);
          ports.put(key(i, kind), s.getLocalPort());
        }
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  private static String key(int peer, String kind) {
    return "VP" + peer + "_" + kind + "_PORT";
  }

  /** The compose file's variables for this run, in a file: `docker-compose --env-file` it to look by hand. */
  private Path writeEnvFile(String project, Map<String, Integer> ports) throws IOException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("JPEER_NETWORK", project);
    vars.put("JPEER_DOCKER_SOCKET", socket);
    ports.forEach((k, v) -> vars.put(k, String.valueOf(v)));
    Path file = kit.dir().resolve("compose.env");
    Files.writeString(file, vars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n")));
    return file;
  }

  private static void run(List<String> base, Map<String, String> env, Path logs, Duration timeout, String... args) {
    ChildProcess.Result r = ChildProcess.run("compose-" + args[0], cat(base, args), ROOT, env, logs, timeout);
    assertThat(r.exitCode()).as("docker-compose %s: %s", String.join(" ", args), r.describe()).isZero();
  }

  private static List<String> cat(List<String> base, String... args) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(args));
    return all;
  }

  /** Docker's own health status (the image's `peer node health` check) of every peer container. */
  private static void awaitAllHealthy(String project, List<String> base, Map<String, String> env, Path logs) {
    Map<String, String> last = new HashMap<>();
    Await.Watch watch = new Await.Watch() {
      @Override
      public String hopeless() {
        return last.values().stream().anyMatch(s -> s.startsWith("exited") || s.startsWith("dead"))
            ? "a peer container stopped: " + last : null;
      }

      @Override
      public String describe() {
        return "health: " + last + "\n" + logsOf(base, env, logs);
      }
    };
    Await.until("the four peers of " + project + " are healthy", HEALTHY_PATIENCE, () -> {
      List<Container> containers = projectContainers(project);
      for (Container c : containers) {
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(c.getId()).exec().getState();
        String health = state.getHealth() == null ? "no health check" : state.getHealth().getStatus();
        last.put(c.getLabels().getOrDefault("com.docker.compose.service", c.getId()), state.getStatus() + "/" + health);
      }
      return containers.size() == PEERS.size() && last.values().stream().allMatch(s -> s.equals("running/healthy"));
    }, watch);
  }

  private static List<Container> projectContainers(String project) {
    return docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("com.docker.compose.project", project)).exec();
  }

  /** The query's answer once it is {@code expected} (the transaction before it has committed there). */
  private static String awaitQuery(RestClient peer, String name, String key, String expected) {
    String params = "{\"type\":4,\"chaincodeID\":{\"name\":\"" + name + "\"},\"ctorMsg\":{\"args\":[\"query\",\"" + key + "\"]}}";
    List<String> answers = new ArrayList<>();
    return Await.result("query " + key + " on " + peer.base() + " answers " + expected, FLOW_PATIENCE, () -> {
      RestClient.Reply r = peer.rpc("query", params, "3");
      String value = r.json().path("result").path("message").asText();
      if (answers.isEmpty() || !answers.get(answers.size() - 1).equals(r.body())) {
        answers.add(r.body());
      }
      return "OK".equals(r.json().path("result").path("status").asText()) && expected.equals(value) ? value : null;
    }, Await.describing(() -> "answers seen: " + answers));
  }

  /** Every peer's log, into the test's folder (kept when the test fails); the last lines for a message. */
  private static String logsOf(List<String> base, Map<String, String> env, Path logs) {
    ChildProcess.Result r = ChildProcess.run("compose-logs", cat(base, "logs", "--no-color"), ROOT,
        env, logs, Duration.ofMinutes(1));
    String out = r.stdout();
    return "--- docker-compose logs (last lines; all in " + logs + ") ---\n"
        + out.substring(Math.max(0, out.length() - 8000));
  }

  /** Containers, the network and the volumes of the project that are still there. */
  private static List<String> leftovers(String project) {
    List<String> left = new ArrayList<>();
    for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
      for (String n : c.getNames()) {
        if (n.contains(project) || project.equals(c.getLabels().get("com.docker.compose.project"))) {
          left.add("container " + n + " (" + c.getState() + ")");
        }
      }
    }
    docker.listNetworksCmd().exec().stream().filter(n -> n.getName().contains(project))
        .forEach(n -> left.add("network " + n.getName()));
    var volumes = docker.listVolumesCmd().exec().getVolumes();
    if (volumes != null) {
      volumes.stream().filter(v -> v.getName().contains(project)).forEach(v -> left.add("volume " + v.getName()));
    }
    return left;
  }
}
