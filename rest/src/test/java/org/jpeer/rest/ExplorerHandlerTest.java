package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jpeer.devops.Devops;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer's files and API on a real Jetty (127.0.0.1, port 0) over a real RocksDB ledger. */
class ExplorerHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP_START = "default-src 'self'";

  @TempDir Path dir;
  private PeerLedger ledger;
  private RestServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.codeDefaults().withBuckets(101, 5));
    server = new RestServer(RestOptions.of("127.0.0.1", 0, true, dir),
        new Devops(new StandInChaincode(true), new LedgerEngine(ledger)), ledger, List::of);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    ledger.close();
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String rpc(String function, String... args) throws Exception {
    String params = "{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"" + function
        + (args.length == 0 ? "" : "\",\"" + String.join("\",\"", args)) + "\"]}}";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/chaincode"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\""
            + (function.equals("init") ? "deploy" : "invoke") + "\",\"params\":" + params + ",\"id\":1}")).build();
    return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).at("/result/message").asText();
  }

  @Test
  void explorerRedirectsToItsFolderAndServesThePage() throws Exception {
    HttpResponse<String> bare = send("GET", "/explorer");
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("explorer/");

    HttpResponse<String> page = send("GET", "/explorer/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith(CSP_START);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.body()).contains("<script src=\"explorer.js\"").doesNotContain("<script>").doesNotContain("style=");
    assertThat(send("GET", "/explorer/index.html").body()).isEqualTo(page.body());

    for (String[] file : new String[][] {{"explorer.js", "text/javascript; charset=utf-8"},
        {"explorer.css", "text/css; charset=utf-8"}, {"favicon.svg", "image/svg+xml"}}) {
      HttpResponse<String> r = send("GET", "/explorer/" + file[0]);
      assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(file[0]).hasValue(file[1]);
      assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().getBytes(
          java.nio.charset.StandardCharsets.UTF_8).length));
    }
    assertThat(send("GET", "/explorer/explorer.js").body()).doesNotContain("innerHTML");
  }

  @Test
  void anEntityTagSavesTheTransferAndHeadSendsNoBody() throws Exception {
    HttpResponse<String> first = send("GET", "/explorer/explorer.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = send("GET", "/explorer/explorer.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(send("GET", "/explorer/explorer.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

    HttpResponse<String> head = send("HEAD", "/explorer/");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void unknownFilesOtherVerbsAndEscapingPathsGetJsonErrors() throws Exception {
    HttpResponse<String> missing = send("GET", "/explorer/nope.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(missing.body()).get("Error").asText()).contains("nope.js");

    HttpResponse<String> post = send("POST", "/explorer/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(JSON.readTree(post.body()).has("Error")).isTrue();
    assertThat(send("DELETE", "/explorer/api/blocks/0").statusCode()).isEqualTo(405);

    // raw targets, as java.net.http would not send them; none reaches a file outside the list (a
    // connection each: Jetty closes one after a 400)
    for (String target : List.of("/explorer/../pom.xml", "/explorer/%2e%2e/pom.xml", "/explorer/..%2fRestServer.class",
          "/explorer/%2e%2e%2f%2e%2e%2fetc/passwd", "/explorer/./../explorer/../../etc/passwd",
          "/explorer/org/jpeer/rest/RestServer.class", "/explorer/explorer.js/..%2f..%2fExplorerHandler.class",
        "/explorer//etc/passwd", "/explorer/%5c..%5cpom.xml", "/explorer/explorer.js%00.html")) {
      try (RawHttp raw = new RawHttp(server.port())) {
        RawHttp.Reply r = raw.send(RawHttp.request("GET", target, null));
        assertThat(r.status()).as(target).isIn(400, 404);
        assertThat(r.headers().get("Content-Type")).as(target).startsWith("application/json");
        assertThat(r.body()).as(target).doesNotContain("root:").doesNotContain("<project").doesNotContain("CAFEBABE");
        JSON.readTree(r.body());
      }
    }
  }

  @Test
  void theApiDecodesBlocksAndTellsCommittedFailedAndUnknownApart() throws Exception {
    String deploy = rpc("init", "a", "100", "b", "200");
    String move = rpc("invoke", "a", "b", "10");
    String failed = rpc("fail", "a");
    assertThat(ledger.height()).isEqualTo(4);

    HttpResponse<String> block = send("GET", "/explorer/api/blocks/2");
    assertThat(block.statusCode()).isEqualTo(200);
    assertThat(block.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(block.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode b = JSON.readTree(block.body());
    assertThat(b.get("number").asLong()).isEqualTo(2);
    assertThat(b.get("committedAt").asLong()).isPositive();
    assertThat(b.get("failed")).isEmpty();
    JsonNode tx = b.get("transactions").get(0);
    assertThat(tx.get("txid").asText()).isEqualTo(move);
    assertThat(tx.get("type").asText()).isEqualTo("invoke");
    assertThat(tx.get("chaincode").asText()).isEqualTo("mycc");
    assertThat(tx.get("function").asText()).isEqualTo("invoke");
    assertThat(tx.get("args").toString()).isEqualTo("[\"a\",\"b\",\"10\"]");

    JsonNode deployed = JSON.readTree(send("GET", "/explorer/api/blocks/1").body()).get("transactions").get(0);
    assertThat(deployed.get("type").asText()).isEqualTo("deploy");
    assertThat(deployed.get("txid").asText()).isEqualTo(deploy);
    assertThat(deployed.get("function").asText()).isEqualTo("init");
    assertThat(deployed.get("args").toString()).isEqualTo("[\"a\",\"100\",\"b\",\"200\"]");

    JsonNode withFailure = JSON.readTree(send("GET", "/explorer/api/blocks/3").body());
    assertThat(withFailure.get("transactions")).isEmpty();
    assertThat(withFailure.get("failed").get(0).get("txid").asText()).isEqualTo(failed);
    assertThat(withFailure.get("failed").get(0).get("reason").asText()).contains("Incorrect number of arguments");
    assertThat(withFailure.get("failed").get(0).get("function").asText()).isEqualTo("fail");

    JsonNode committed = JSON.readTree(send("GET", "/explorer/api/transactions/" + move).body());
    assertThat(committed.get("status").asText()).isEqualTo("committed");
    assertThat(committed.get("blockNumber").asLong()).isEqualTo(2);
    assertThat(committed.get("index").asInt()).isZero();
    assertThat(committed.get("chaincode").asText()).isEqualTo("mycc");
    assertThat(committed.get("args").toString()).isEqualTo("[\"a\",\"b\",\"10\"]");

    HttpResponse<String> fail = send("GET", "/explorer/api/transactions/" + failed);
    assertThat(fail.statusCode()).isEqualTo(200);
    JsonNode f = JSON.readTree(fail.body());
    assertThat(f.get("status").asText()).isEqualTo("failed");
    assertThat(f.get("blockNumber").asLong()).isEqualTo(3);
    assertThat(f.get("reason").asText()).contains("Incorrect number of arguments");
    assertThat(f.get("function").asText()).isEqualTo("fail");

    HttpResponse<String> unknown = send("GET", "/explorer/api/transactions/no-such-tx");
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(unknown.body()).isEqualTo("{\"txid\":\"no-such-tx\",\"status\":\"unknown\"}\n");

    assertThat(send("GET", "/explorer/api/blocks/4").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/explorer/api/blocks/-1").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/explorer/api/blocks/").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/explorer/api/transactions/").statusCode()).isEqualTo(404);
  }

  @Test
  void argumentsThatAreNotUtf8ComeAsBase64() {
    org.jpeer.protos.Transaction tx = org.jpeer.protos.Transaction.newBuilder()
        .setType(org.jpeer.protos.Transaction.Type.CHAINCODE_INVOKE).setTxid("t")
        .setPayload(org.jpeer.protos.ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(
            org.jpeer.protos.ChaincodeSpec.newBuilder()
                .setChaincodeID(org.jpeer.protos.ChaincodeID.newBuilder().setName("cc"))
                .setCtorMsg(org.jpeer.protos.ChaincodeInput.newBuilder()
                    .addArgs(com.google.protobuf.ByteString.copyFromUtf8("put"))
                    .addArgs(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xff, 0}))
                    .addArgs(com.google.protobuf.ByteString.copyFromUtf8("<b>é</b>"))))
            .build().toByteString())
        .build();
    assertThat(ExplorerJson.transaction(tx).toString())
        .isEqualTo("{\"txid\":\"t\",\"type\":\"invoke\",\"chaincode\":\"cc\",\"function\":\"put\","
            + "\"args\":[{\"base64\":\"/wA=\"},\"<b>é</b>\"]}");

    org.jpeer.protos.Transaction garbage = tx.toBuilder().setPayload(com.google.protobuf.ByteString.copyFrom(
        new byte[] {(byte) 0xff, (byte) 0xff})).build();
    assertThat(ExplorerJson.transaction(garbage).get("decodeError").asText()).startsWith("The payload is not a chaincode spec");
  }
}
