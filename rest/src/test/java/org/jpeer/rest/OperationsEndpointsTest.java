package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpeer.devops.Devops;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /openapi.json}, request counting, and
 * the separate operations server, on real Jetty servers over a real RocksDB ledger.
 */
class OperationsEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private PeerLedger ledger;
  private RestServer server;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Health health = new Health() {
    @Override
    public List<HealthCheck> liveness() {
      return List.of(HealthCheck.up("process", "serving"));
    }

    @Override
    public List<HealthCheck> readiness() {
      return List.of(HealthCheck.up("ledger", "open"),
          ready.get() ? HealthCheck.up("consenter", "running") : HealthCheck.down("consenter", "state transfer in progress"));
    }
  };

  @BeforeEach
  void start() throws Exception {
    ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.codeDefaults().withBuckets(101, 5));
    Devops devops = new Devops(new StandInChaincode(true), new LedgerEngine(ledger));
    server = new RestServer(RestOptions.of("127.0.0.1", 0, true, dir), devops, ledger, List::of, null,
        new Operations(registry, () -> "# TYPE jpeer_ledger_height gauge\njpeer_ledger_height 1.0\n", health));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    ledger.close();
  }

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    b.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyzIs503NamingTheFailingCheckAndHealthzStays200() throws Exception {
    assertThat(send(server.port(), "GET", "/readyz").statusCode()).isEqualTo(200);
    ready.set(false);
    HttpResponse<String> r = send(server.port(), "GET", "/readyz");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks").get(1).get("name").asText()).isEqualTo("consenter");
    assertThat(body.get("checks").get(1).get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks").get(1).get("detail").asText()).isEqualTo("state transfer in progress");
    assertThat(body.get("checks").get(0).get("status").asText()).isEqualTo("UP");
    assertThat(send(server.port(), "GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(send(server.port(), "HEAD", "/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void aThrowingCheckIsDownNotA500() throws Exception {
    server.close();
    Devops devops = new Devops(new StandInChaincode(true), new LedgerEngine(ledger));
    server = new RestServer(RestOptions.of("127.0.0.1", 0, true, dir), devops, ledger, List::of, null,
        new Operations(registry, () -> "", new Health() {
          @Override
          public List<HealthCheck> liveness() {
            return List.of();
          }

          @Override
          public List<HealthCheck> readiness() {
            throw new IllegalStateException("boom");
          }
        }));
    server.start();
    HttpResponse<String> r = send(server.port(), "GET", "/readyz");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("\"name\":\"health\"").contains("boom");
  }

  @Test
  void metricsAreThePrometheusTextWithItsContentType() throws Exception {
    HttpResponse<String> r = send(server.port(), "GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("jpeer_ledger_height 1.0");
  }

  @Test
  void requestsAreCountedByRouteTemplateNeverByRawPath() throws Exception {
    send(server.port(), "GET", "/transactions/aaa");
    send(server.port(), "GET", "/transactions/bbb");
    send(server.port(), "GET", "/chain/blocks/0");
    send(server.port(), "GET", "/no/such/route/12345");
    send(server.port(), "PUT", "/chain");
    // a request is counted when Jetty completes its response, which the client can see a moment before
    Await.until("the five requests counted", Duration.ofSeconds(10),
        () -> Search.in(registry).name("jpeer.rest.requests").counters().stream()
            .mapToDouble(c -> c.count()).sum() >= 5);
    assertThat(count("/transactions/{txid}", "GET", "404")).isEqualTo(2.0);
    assertThat(count("/chain/blocks/{block}", "GET", "200")).isEqualTo(1.0);
    assertThat(count(Routes.UNMATCHED, "other", "404")).isEqualTo(2.0);
    assertThat(registry.find("jpeer.rest.requests").counters())
        .allSatisfy(c -> assertThat(c.getId().getTag("route")).doesNotContain("aaa", "12345"));
  }

  private double count(String route, String method, String status) {
    return Search.in(registry).name("jpeer.rest.requests").tag("route", route).tag("method", method)
        .tag("status", status).counter().count();
  }

  @Test
  void theOperationsServerAnswersOnlyMetricsAndHealth() throws Exception {
    try (OperationsServer ops = new OperationsServer("127.0.0.1", 0, new Operations(registry, () -> "x 1\n", health))) {
      ops.start();
      assertThat(send(ops.port(), "GET", "/metrics").body()).isEqualTo("x 1\n");
      assertThat(send(ops.port(), "GET", "/healthz").statusCode()).isEqualTo(200);
      assertThat(send(ops.port(), "GET", "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> chain = send(ops.port(), "GET", "/chain");
      assertThat(chain.statusCode()).isEqualTo(404);
      assertThat(chain.body()).isEqualTo(NotFoundHandler.BODY);
    }
  }

  @Test
  void theDocsCopyOfTheDescriptionIsTheServedOne() throws Exception {
    Path docs = Path.of("..", "docs", "openapi.json");
    assertThat(Files.readString(docs)).isEqualTo(new String(OpenApiHandler.load(), java.nio.charset.StandardCharsets.UTF_8));
    HttpResponse<String> r = send(server.port(), "GET", "/openapi.json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("openapi").asText()).startsWith("3.");
  }

  /** Every described operation is a route the server knows, and every route is described. */
  @Test
  void theDescriptionAndTheRoutesAreTheSameSet() throws Exception {
    List<String> described = describedOperations();
    List<String> routes = Routes.ALL.stream().map(r -> r.method() + " " + r.template()).toList();
    assertThat(described).containsExactlyInAnyOrderElementsOf(routes);
  }

  /**
   * Every described operation answers (with the example parameters): the request reaches a
   * handler, not the not-found fallback. And the paths next to each route, which no handler takes,
   * do fall through to it: a handler answering a route nobody described would fail here.
   */
  @Test
  void everyDescribedRouteAnswersAndItsNeighboursDoNot() throws Exception {
    for (Routes.Route route : Routes.ALL) {
      String path = example(route.template());
      if (route.template().equals("/events")) {
        path = "/events?types=bogus"; // a stream would not end; a 400 from its handler proves the route
      }
      HttpResponse<String> r = send(server.port(), route.method(), path);
      assertThat(r.body()).as(route.toString()).isNotEqualTo(NotFoundHandler.BODY);
      assertThat(Routes.template(route.method(), path.replaceAll("\\?.*", ""))).isEqualTo(route.template());
    }
    List<String> neighbours = new ArrayList<>();
    for (Routes.Route route : Routes.ALL) {
      String base = example(route.template());
      neighbours.add("GET " + base + "/extra");
      neighbours.add("GET " + base + "x");
    }
    neighbours.addAll(List.of("PUT /chain", "POST /chain", "DELETE /chain/blocks/0", "POST /transactions/abc",
        "GET /chaincode", "PUT /registrar", "POST /metrics", "DELETE /readyz", "GET /chain/blocks/", "GET /transactions/",
        "GET /registrar/jim/other", "GET /", "GET /network"));
    for (String n : neighbours) {
      String[] mp = n.split(" ", 2);
      if (Routes.template(mp[0], mp[1]).equals(Routes.UNMATCHED) && !mp[1].startsWith("/events")) {
        HttpResponse<String> r = send(server.port(), mp[0], mp[1]);
        assertThat(r.statusCode()).as(n).isIn(404, 400, 405);
        if (r.statusCode() != 404 || !r.body().equals(NotFoundHandler.BODY)) {
          // only the registrar (the original's texts) and the explorer (its files) answer their own
          // errors for paths under them
          assertThat(mp[1]).as(n + " answered " + r.body()).matches("/(registrar|explorer)/.*");
        }
      }
    }
  }

  /** A path of the template with example parameters. */
  private static String example(String template) {
    return template.replace("{block}", "0").replace("{txid}", "abc").replace("{enrollmentID}", "jim")
        .replace("{file}", "explorer.js");
  }

  private static List<String> describedOperations() throws Exception {
    JsonNode doc = JSON.readTree(OpenApiHandler.load());
    List<String> out = new ArrayList<>();
    for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
        out.add(methods.next().toUpperCase(java.util.Locale.ROOT) + " " + path);
      }
    }
    return out;
  }
}
