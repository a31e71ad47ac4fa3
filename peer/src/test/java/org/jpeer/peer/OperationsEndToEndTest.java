package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jpeer.config.HostPort;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real peer with example02 (process runtime): {@code /metrics} counts what happened, the
 * health endpoints answer, and {@code operations.listenAddress} serves the same on its own port.
 */
class OperationsEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void metricsCountCommitsFailuresExecutionsAndRequests() throws Exception {
    LocalPeer peer = kit.peer(kit.env("vp0").with("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:0"));
    RestClient rest = peer.rest();
    String name = rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1")
        .json().at("/result/message").asText();
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);
    String good = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "10"), "2").json().at("/result/message").asText();
    String bad = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "x"), "3").json().at("/result/message").asText();
    peer.await("both invokes ordered", () -> rest.get("/transactions/" + good).status() == 200
        && rest.get("/transactions/" + bad).body().contains("\"failure\""));
    assertThat(rest.rpc("query", spec(byName(name), "query", "a"), "4").json().at("/result/message").asText()).isEqualTo("90");

    // a request is counted when Jetty completes its response, which the client can see a moment before
    peer.await("the four chaincode requests counted", () -> value(rest.get("/metrics").body(),
        "jpeer_rest_requests_total{method=\"POST\",route=\"/chaincode\",status=\"200\"}") >= 4);
    String metrics = rest.get("/metrics").body();
    assertThat(value(metrics, "jpeer_ledger_height")).isEqualTo(rest.height());
    assertThat(value(metrics, "jpeer_transactions_committed_total{source=\"executed\"}")).isEqualTo(2);
    assertThat(value(metrics, "jpeer_transactions_failed_total{reason=\"chaincode_error\"}")).isEqualTo(1);
    assertThat(value(metrics, "jpeer_transactions_refused_total{reason=\"busy\"}")).isZero();
    assertThat(value(metrics, "jpeer_consensus_pending")).isZero();
    assertThat(value(metrics, "jpeer_peers_connected")).isZero();
    assertThat(value(metrics, "jpeer_block_commit_seconds_count")).as("one per block after genesis").isEqualTo(rest.height() - 1);
    assertThat(value(metrics, "jpeer_chaincode_execute_seconds_count{chaincode=\"" + name + "\",kind=\"deploy\"}")).isEqualTo(1);
    assertThat(value(metrics, "jpeer_chaincode_execute_seconds_count{chaincode=\"" + name + "\",kind=\"invoke\"}")).isEqualTo(2);
    assertThat(value(metrics, "jpeer_chaincode_execute_seconds_count{chaincode=\"" + name + "\",kind=\"query\"}")).isEqualTo(1);
    assertThat(metrics).contains("jpeer_block_commit_seconds_bucket{le=\"0.25\"}");
    assertThat(value(metrics, "jpeer_rest_requests_total{method=\"POST\",route=\"/chaincode\",status=\"200\"}")).isEqualTo(4);
    assertThat(metrics).contains("jvm_memory_used_bytes", "process_cpu_usage", "jvm_threads_live_threads", "process_uptime_seconds");

    RestClient.Reply ready = rest.get("/readyz");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("\"name\":\"ledger\"", "\"name\":\"consenter\"", "\"name\":\"chaincode-runtime\"");
    assertThat(rest.get("/healthz").status()).isEqualTo(200);

    HostPort ops = peer.addresses().get("operations");
    assertThat(ops).as("the operations address is recorded").isNotNull();
    RestClient opsClient = new RestClient(URI.create("http://127.0.0.1:" + ops.port()));
    assertThat(value(opsClient.get("/metrics").body(), "jpeer_ledger_height")).isEqualTo(rest.height());
    assertThat(opsClient.get("/readyz").status()).isEqualTo(200);
    assertThat(opsClient.get("/chain").status()).isEqualTo(404);
  }

  /**
   * {@code CORE_LOGGING_FORMAT=json}: every line the peer writes is one JSON object with the named
   * fields, and the line about a failed transaction carries its txid.
   */
  @Test
  void jsonLogsAreOneObjectPerLineWithTheTxid() throws Exception {
    LocalPeer peer = kit.peer(kit.env("vp0").with("CORE_LOGGING_FORMAT", "json"));
    RestClient rest = peer.rest();
    String name = rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1")
        .json().at("/result/message").asText();
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);
    String bad = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "x"), "2").json().at("/result/message").asText();
    peer.await("the failing invoke's log line", () -> peer.process().stderr().contains("\"txid\":\"" + bad + "\""));

    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<String> lines = peer.process().stderr().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSizeGreaterThan(3);
    for (String line : lines) {
      com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
      assertThat(event.has("timestamp") && event.has("level") && event.has("module") && event.has("message"))
          .as(line).isTrue();
    }
    com.fasterxml.jackson.databind.JsonNode failed = lines.stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).filter(e -> bad.equals(e.path("txid").asText(null))).findFirst().orElseThrow();
    assertThat(failed.get("level").asText()).isEqualTo("WARN");
    assertThat(failed.get("module").asText()).isEqualTo("executor");
    assertThat(failed.get("message").asText()).contains("failed and is left out of block");
  }

  /** The value of one series in a Prometheus text exposition. */
  static long value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("series " + series + " in\n" + exposition.lines().filter(l -> l.startsWith("jpeer")).toList()).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
