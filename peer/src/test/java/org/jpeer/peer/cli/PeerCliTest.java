package org.jpeer.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command tree, help, version and global flags, in-process. */
class PeerCliTest {
  @TempDir Path workDir;

  private CliRun run(String... args) {
    return CliRun.of(workDir, Map.of("CORE_PEER_FILESYSTEMPATH", workDir.toString()), args);
  }

  @Test
  void versionPrintsFabricAndJpeerVersions() {
    CliRun r = run("version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Fabric peer server version 0.6.1-preview\njpeer version ");
    assertThat(run("-v").out()).isEqualTo(r.out());
    assertThat(run("--version").out()).isEqualTo(r.out());
  }

  @Test
  void helpWorksOnEveryCommand() {
    List<List<String>> commands =
        List.of(
            List.of(),
            List.of("node"),
            List.of("node", "start"),
            List.of("node", "status"),
            List.of("node", "stop"),
            List.of("node", "health"),
            List.of("chaincode"),
            List.of("chaincode", "deploy"),
            List.of("chaincode", "invoke"),
            List.of("chaincode", "query"),
            List.of("network"),
            List.of("network", "login"),
            List.of("network", "list"),
            List.of("version"));
    for (List<String> command : commands) {
      for (String help : List.of("--help", "-h")) {
        String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(help))
            .toArray(String[]::new);
        CliRun r = run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
        assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: peer").contains("--logging-level");
      }
    }
    assertThat(run("chaincode", "query", "--help").out())
        .contains("-c, --ctor=JSON", "-n, --name=NAME", "-p, --path=PATH", "-l, --lang=LANG", "-u, --username=USER",
            "-a, --attributes=JSON", "-t, --tid=ALG", "-r, --raw", "-x, --hex");
    assertThat(run("node", "start", "--help").out()).contains("--peer-chaincodedev");
    assertThat(run("node", "stop", "--help").out()).contains("--stop-peer-pid-file");
  }

  @Test
  void groupsWithoutSubcommandPrintTheirCommands() {
    CliRun r = run("chaincode");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("deploy", "invoke", "query");
    assertThat(run().out()).contains("node", "chaincode", "network", "version");
  }

  @Test
  void unknownCommandIsNamedAsTheOriginalDoes() {
    CliRun r = run("nodes", "start");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errorLine()).isEqualTo("Error: unknown command \"nodes\" for \"peer\"");
    assertThat(r.err()).contains("Usage: peer");
    assertThat(run("node", "restart").errorLine()).isEqualTo("Error: unknown command \"restart\" for \"peer node\"");
  }

  @Test
  void unknownFlagIsAUsageError() {
    CliRun r = run("node", "status", "--bogus");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errorLine()).startsWith("Error: Unknown option: '--bogus'");
    assertThat(r.err()).contains("Usage: peer node status");
  }

  @Test
  void eventsListenRefusesBadFlagsWithOneClearLine() {
    assertThat(run("events", "listen", "--types", "block,blocks").errorLine())
        .isEqualTo("Error: unknown event type \"blocks\" in --types: use block, chaincode, rejection");
    assertThat(run("events", "listen", "--types", "chaincode").errorLine())
        .isEqualTo("Error: --types chaincode needs --chaincode NAME");
    assertThat(run("events", "listen", "--event", "e").errorLine()).isEqualTo("Error: --event needs --chaincode NAME");
    assertThat(run("events", "listen", "--from", "-1").errorLine()).isEqualTo("Error: --from must be 0 or above, got -1");
    assertThat(run("events", "listen", "--count", "0").errorLine()).isEqualTo("Error: --count must be 1 or above, got 0");
    CliRun noNumber = run("events", "listen", "--from", "x");
    assertThat(noNumber.exitCode()).isEqualTo(1);
    assertThat(noNumber.errorLine()).startsWith("Error: Invalid value for option '--from'");
  }

  @Test
  void badLoggingLevelIsOneClearLine() {
    CliRun r = run("--logging-level", "loud", "node", "status");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "Error: invalid value \"loud\" for logging.level (from flag --logging-level): unknown level \"loud\";"
                + " levels are CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG (any case),"
                + " optionally as module=level:...:level");
    // the flag is accepted after the subcommand too, like the original's persistent flags
    assertThat(run("node", "status", "--logging-level", "loud").errorLine()).contains("\"loud\"");
  }

  @Test
  void stopWithoutAReachablePeerOrPidFileExplainsWhy() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CliRun r = CliRun.of(workDir, Map.of("CORE_PEER_ADDRESS", "127.0.0.1:" + port, "CORE_PEER_FILESYSTEMPATH", workDir.toString()), "node", "stop");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errorLine())
        .startsWith("Error: Error trying to connect to local peer at 127.0.0.1:" + port + ": ")
        .endsWith("; and no peer pid file at " + workDir.resolve("peer.pid"));
  }

  @Test
  void statusWithoutARecordedPortExplainsWhy() {
    CliRun r = CliRun.of(workDir, Map.of("CORE_PEER_ADDRESS", "127.0.0.1:0", "CORE_PEER_FILESYSTEMPATH", workDir.toString()), "node", "status");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("status:UNKNOWN\n");
    assertThat(r.errorLine())
        .isEqualTo(
            "Error: peer.address 127.0.0.1:0 has port 0 and no running peer recorded its port in "
                + workDir.resolve("peer.addresses"));
  }

  @Test
  void healthExitsZeroOnlyOnA2xxAnswer() throws Exception {
    // a stand-in for the peer's REST port: /readyz ready, /healthz live, /notready 503
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    answer(server, "/readyz", 200, "{\"status\":\"UP\"}");
    answer(server, "/healthz", 200, "{\"status\":\"UP\",\"live\":true}");
    answer(server, "/notready", 503, "{\"status\":\"DOWN\",\"checks\":{\"consenter\":\"DOWN\"}}");
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      // the default: /readyz on rest.address, the wildcard host dialled as 127.0.0.1
      Map<String, String> env = Map.of("CORE_PEER_FILESYSTEMPATH", workDir.toString(),
          "CORE_REST_ADDRESS", "0.0.0.0:" + server.getAddress().getPort());
      CliRun ready = CliRun.of(workDir, env, "node", "health");
      assertThat(ready.exitCode()).as(ready.err()).isZero();
      assertThat(ready.out()).isEqualTo("200 {\"status\":\"UP\"}\n");
      assertThat(CliRun.of(workDir, env, "node", "health", "--path", "healthz").out()).contains("\"live\":true");

      CliRun notReady = run("node", "health", "--url", base + "/notready");
      assertThat(notReady.exitCode()).isEqualTo(1);
      assertThat(notReady.errorLine()).isEqualTo(
          "Error: " + base + "/notready answered 503: {\"status\":\"DOWN\",\"checks\":{\"consenter\":\"DOWN\"}}");
      assertThat(run("node", "health", "--url", base + "/missing").errorLine()).contains("answered 404");

      // the image's health check: the same GET from the environment alone, without the command tree
      Map<String, String> restEnv = Map.of("CORE_REST_ADDRESS", "0.0.0.0:" + server.getAddress().getPort());
      var out = new java.io.ByteArrayOutputStream();
      var err = new java.io.ByteArrayOutputStream();
      try (var o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
          var e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8)) {
        assertThat(NodeHealthCommand.probe(restEnv, new String[0], o, e)).isZero();
        assertThat(NodeHealthCommand.probe(restEnv, new String[] {"/notready"}, o, e)).isEqualTo(1);
        assertThat(NodeHealthCommand.probe(restEnv, new String[] {"a", "b"}, o, e)).isEqualTo(2);
        assertThat(NodeHealthCommand.probe(Map.of("CORE_REST_ADDRESS", "nonsense"), new String[0], o, e)).isEqualTo(2);
      }
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("200 {\"status\":\"UP\"}\n");
      assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
          "Error: " + base + "/notready answered 503: {\"status\":\"DOWN\",\"checks\":{\"consenter\":\"DOWN\"}}",
          "Error: usage: NodeHealthCommand [PATH]",
          "Error: CORE_REST_ADDRESS or PATH does not make a URL: missing ':port'");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void healthWithoutAPeerOrWithBadFlagsFails() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CliRun refused = run("node", "health", "--url", "http://127.0.0.1:" + port + "/readyz", "--timeout", "2000");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.errorLine()).startsWith("Error: cannot reach http://127.0.0.1:" + port + "/readyz: ");
    assertThat(run("node", "health", "--url", "ftp://x/readyz").errorLine())
        .isEqualTo("Error: --url must be an http or https URL, got \"ftp://x/readyz\"");
    assertThat(run("node", "health", "--timeout", "0").errorLine()).isEqualTo("Error: --timeout must be 1 or above, got 0");
    CliRun anyPort = CliRun.of(workDir, Map.of("CORE_PEER_FILESYSTEMPATH", workDir.toString(),
        "CORE_REST_ADDRESS", "127.0.0.1:0"), "node", "health");
    assertThat(anyPort.errorLine()).isEqualTo("Error: rest.address 127.0.0.1:0 has port 0: give the peer's REST address with --url");
  }

  private static void answer(HttpServer server, String path, int status, String body) {
    server.createContext(path, exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (var out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
  }
}
