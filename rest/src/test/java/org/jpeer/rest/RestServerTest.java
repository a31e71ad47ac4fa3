package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jpeer.devops.Devops;
import org.jpeer.ledger.Blocks;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.testkit.Golden;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The REST server on a real Jetty (127.0.0.1, port 0) over a real Devops and a real RocksDB
 * ledger; only the engine and the chaincode service are stand-ins (see their comments).
 */
class RestServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  private static final String DEPLOY_PARAMS =
      "{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}}";

  @TempDir Path dir;
  private PeerLedger ledger;
  private LedgerEngine engine;
  private RestServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.codeDefaults().withBuckets(101, 5));
    engine = new LedgerEngine(ledger);
    server = start(true, RestOptions.DEFAULT_MAX_REQUEST_BYTES);
  }

  private RestServer start(boolean devMode, int maxBytes) throws Exception {
    Devops devops = new Devops(new StandInChaincode(devMode), engine);
    PeerEndpoint self = PeerEndpoint.newBuilder()
        .setID(PeerID.newBuilder().setName("vp0"))
        .setAddress("127.0.0.1:7051")
        .setType(PeerEndpoint.Type.VALIDATOR)
        .build();
    RestServer s = new RestServer(
        RestOptions.of("127.0.0.1", 0, devMode, dir).withMaxRequestBytes(maxBytes), devops, ledger, () -> List.of(self));
    s.start();
    return s;
  }

  @AfterEach
  void stop() {
    server.close();
    ledger.close();
  }

  private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(server.port(), method, path, body);
  }

  private HttpResponse<String> rpc(String body) throws Exception {
    return send("POST", "/chaincode", body);
  }

  private static String request(String method, String params, String id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + (id == null ? "" : ",\"id\":" + id) + "}";
  }

  private static String invokeParams(String... args) {
    return "{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"" + String.join("\",\"", args) + "\"]}}";
  }

  private static String okBody(String message, String id) {
    return "{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"" + message + "\"},\"id\":" + id + "}";
  }

  private static void assertCommonHeaders(HttpResponse<?> r) {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("accept, content-type");
  }

  @Test
  void theSeedFlowAnswersAsTheOriginal() throws Exception {
    HttpResponse<String> deploy = rpc(request("deploy", DEPLOY_PARAMS, "1"));
    assertThat(deploy.statusCode()).isEqualTo(200);
    assertThat(deploy.body()).isEqualTo(okBody("mycc", "1"));
    assertCommonHeaders(deploy);

    HttpResponse<String> invoke = rpc(request("invoke", invokeParams("invoke", "a", "b", "10"), "2"));
    assertThat(invoke.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("\\{\"jsonrpc\":\"2.0\",\"result\":\\{\"status\":\"OK\",\"message\":\"(" + UUID + ")\"},\"id\":2}")
        .matcher(invoke.body());
    assertThat(m.matches()).as(invoke.body()).isTrue();
    String txid = m.group(1);

    HttpResponse<String> query = rpc(request("query", invokeParams("query", "a"), "3"));
    assertThat(query.body()).isEqualTo(okBody("90", "3"));

    // the invoke is in the ledger (the stand-in engine commits at once), with the original's bytes
    HttpResponse<String> tx = send("GET", "/transactions/" + txid, null);
    assertThat(tx.statusCode()).isEqualTo(200);
    assertCommonHeaders(tx);
    JsonNode t = JSON.readTree(tx.body());
    assertThat(t.get("type").asInt()).isEqualTo(2);
    assertThat(t.get("txid").asText()).isEqualTo(txid);
    assertThat(t.get("chaincodeID").asText()).isEqualTo("EgRteWNj");
    assertThat(t.get("payload").asText()).isEqualTo("Ch4IARIGEgRteWNjGhIKBmludm9rZQoBYQoBYgoCMTA=");
    assertThat(t.get("timestamp").get("seconds").asLong()).isPositive();
    assertThat(tx.body()).endsWith("}\n");

    HttpResponse<String> block1 = send("GET", "/chain/blocks/1", null);
    JsonNode b = JSON.readTree(block1.body());
    assertThat(b.get("transactions").get(0).get("txid").asText()).isEqualTo("mycc");
    assertThat(b.get("transactions").get(0).get("payload").asText()).isEqualTo("CiIIARIGEgRteWNjGhYKBGluaXQKAWEKAzEwMAoBYgoDMjAw");
    assertThat(b.get("nonHashData").get("chaincodeEvents").toString()).isEqualTo("[{}]");
    assertThat(b.get("previousBlockHash").asText()).isEqualTo(Golden.GENESIS_BLOCK_HASH_BASE64);
    assertThat(b.get("stateHash").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(ledger.block(1).orElseThrow().getStateHash().toByteArray()));
    assertThat(b.has("version")).isFalse();

    JsonNode chain = JSON.readTree(send("GET", "/chain", null).body());
    assertThat(chain.get("height").asLong()).isEqualTo(3);
    // the hashes of blocks 2 and 1 as the original computes them
    assertThat(chain.get("currentBlockHash").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(Blocks.hash(ledger.block(2).orElseThrow())));
    assertThat(chain.get("previousBlockHash").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(Blocks.hash(ledger.block(1).orElseThrow())));
    assertThat(JSON.readTree(send("GET", "/chain/blocks/2", null).body()).get("previousBlockHash").asText())
        .isEqualTo(chain.get("previousBlockHash").asText());
  }

  @Test
  void genesisBlockAndChainInfoOfANewLedger() throws Exception {
    HttpResponse<String> chain = send("GET", "/chain", null);
    assertThat(chain.statusCode()).isEqualTo(200);
    JsonNode info = JSON.readTree(chain.body());
    assertThat(info.get("height").asInt()).isEqualTo(1);
    assertThat(info.has("previousBlockHash")).isFalse();
    assertThat(info.get("currentBlockHash").asText()).isEqualTo(Golden.GENESIS_BLOCK_HASH_BASE64);

    HttpResponse<String> genesis = send("GET", "/chain/blocks/0", null);
    assertThat(genesis.statusCode()).isEqualTo(200);
    assertThat(genesis.body()).matches("\\{\"nonHashData\":\\{\"localLedgerCommitTimestamp\":\\{\"seconds\":\\d+(,\"nanos\":\\d+)?}}}\n");
  }

  /** Every envelope check of rest-api.md §2.2 and method check of §2.3, in order, exactly. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // 2: empty body
      "``|400|-32600|Invalid request|Client must supply a payload for chaincode requests.|null",
      // 3: parse errors answer id null, even when the id was readable
      "`{\"jsonrpc\":\"2.0\",\"id\":7`|400|-32700|Parse error|Error unmarshalling chaincode request payload: unexpected end of JSON input|null",
      "`[{\"jsonrpc\":\"2.0\",\"id\":7}]`|400|-32700|Parse error|Error unmarshalling chaincode request payload: json: cannot unmarshal array into Go value of type rest.rpcRequest|null",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"params\":{\"type\":\"GOLANG\"},\"id\":7}`|400|-32700|Parse error|Error unmarshalling chaincode request payload: json: cannot unmarshal string into Go value of type protos.ChaincodeSpec_Type|null",
      "`{\"jsonrpc\":\"2.0\",\"id\":1.5}`|400|-32700|Parse error|Error unmarshalling chaincode request payload: cannot unmarshal 1.5 into Go value of type int64 or string|null",
      // 4-8: envelope
      "`{\"method\":\"query\",\"id\":4}`|400|-32600|Invalid request|Missing JSON RPC 2.0 version string.|4",
      "`{\"jsonrpc\":\"1.0\",\"method\":\"query\",\"id\":5}`|400|-32600|Invalid request|Invalid JSON RPC 2.0 version string. Must be 2.0.|5",
      "`{\"jsonrpc\":\"2.0\",\"id\":6}`|400|-32600|Invalid request|Missing JSON RPC 2.0 method string.|6",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"params\":{},\"id\":8}`|404|-32601|Method not found|Requested method does not exist.|8",
      // method names are case-sensitive, as Go's string comparison: "Deploy" is not deploy (nor run as a query)
      "`{\"jsonrpc\":\"2.0\",\"method\":\"Deploy\",\"params\":{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"query\",\"a\"]}},\"id\":18}`|404|-32601|Method not found|Requested method does not exist.|18",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"INVOKE\",\"params\":{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"invoke\",\"a\"]}},\"id\":19}`|404|-32601|Method not found|Requested method does not exist.|19",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"Query\",\"params\":{\"type\":1,\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"query\",\"a\"]}},\"id\":20}`|404|-32601|Method not found|Requested method does not exist.|20",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"id\":\"x9\"}`|400|-32602|Invalid params|Client must supply ChaincodeSpec for chaincode deploy request.|\"x9\"",
      // 2.3 deploy
      "`{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"type\":1,\"ctorMsg\":{\"args\":[\"init\"]}},\"id\":10}`|200|-32602|Invalid params|Payload must contain a ChaincodeID.|10",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"chaincodeID\":{\"path\":\"p\"},\"ctorMsg\":{\"args\":[\"init\"]}},\"id\":11}`|200|-32602|Invalid params|Chaincode name may not be blank in development mode.|11",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"chaincodeID\":{\"name\":\"mycc\"}},\"id\":12}`|200|-32602|Invalid params|Payload must contain a CtorMsg with a Chaincode function name.|12",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[]}},\"id\":13}`|200|-32602|Invalid params|Payload must contain a CtorMsg with a Chaincode function name.|13",
      // 2.3 invoke and query
      "`{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"params\":{\"ctorMsg\":{\"args\":[\"x\"]}},\"id\":14}`|200|-32602|Invalid params|Payload must contain a ChaincodeID.|14",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"params\":{\"chaincodeID\":{\"path\":\"p\"},\"ctorMsg\":{\"args\":[\"x\"]}},\"id\":15}`|200|-32602|Invalid params|Chaincode name may not be blank.|15",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"params\":{\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":null},\"id\":16}`|200|-32602|Invalid params|Payload must contain a CtorMsg with a Chaincode function name.|16",
      "`{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"params\":{\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"args\":[\"query\",\"zz\"]}},\"id\":17}`|200|-32003|Query failure|Error when querying chaincode: Error:Transaction or query returned with failure: {\"Error\":\"Nil amount for zz\"}|17",
  })
  void badInputIsAnsweredExactly(String body, int status, int code, String message, String data, String id) throws Exception {
    HttpResponse<String> r = rpc(body);

    assertThat(r.statusCode()).isEqualTo(status);
    assertCommonHeaders(r);
    String expected = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"data\":"
        + JSON.writeValueAsString(data) + "},\"id\":" + id + "}\n";
    assertThat(r.body()).isEqualTo(expected.replace("<", "\\u003c").replace(">", "\\u003e"));
    assertThat(engine.submitted).hasValue(0);
  }

  @Test
  void notificationsRunButAnswerNothing() throws Exception {
    HttpResponse<String> invoke = rpc(request("invoke", invokeParams("invoke", "a", "b", "10"), null));
    assertThat(invoke.statusCode()).isEqualTo(200);
    assertThat(invoke.body()).isEmpty();
    assertThat(invoke.headers().firstValue("Content-Length")).hasValue("0");
    assertThat(engine.submitted).hasValue(1);
    assertThat(ledger.height()).isEqualTo(2);

    HttpResponse<String> unknownMethod = rpc("{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"id\":null}");
    assertThat(unknownMethod.statusCode()).isEqualTo(200);
    assertThat(unknownMethod.body()).isEmpty();

    HttpResponse<String> badVersion = rpc("{\"jsonrpc\":\"1.0\",\"method\":\"query\"}");
    assertThat(badVersion.statusCode()).isEqualTo(200);
    assertThat(badVersion.body()).isEmpty();

    // checks 1-3 answer even without an id
    HttpResponse<String> parse = rpc("{\"jsonrpc\":");
    assertThat(parse.statusCode()).isEqualTo(400);
    assertThat(parse.body()).contains("\"code\":-32700");
  }

  @Test
  void idsAreEchoedAsGiven() throws Exception {
    assertThat(rpc(request("query", invokeParams("query", "a"), "\"abc<1>\"")).body())
        .isEqualTo(okBody("90", "\"abc\\u003c1\\u003e\""));
    assertThat(rpc(request("query", invokeParams("query", "a"), "-42")).body()).isEqualTo(okBody("90", "-42"));
    assertThat(rpc(request("query", invokeParams("query", "a"), "9223372036854775807")).body())
        .isEqualTo(okBody("90", "9223372036854775807"));
  }

  @Test
  void aBrokenEngineIsAnInternalErrorAndTheServerKeepsServing() throws Exception {
    HttpResponse<String> r = rpc(request("query", invokeParams("query", "boom"), "5"));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal error\","
        + "\"data\":\"Internal error while processing query: java.lang.IllegalStateException: engine broke\"},\"id\":5}\n");
    assertThat(rpc(request("query", invokeParams("query", "a"), "6")).body()).isEqualTo(okBody("90", "6"));
  }

  @Test
  void legacyFunctionFormAndMissingTypeWork() throws Exception {
    String params = "{\"chaincodeID\":{\"name\":\"mycc\"},\"ctorMsg\":{\"function\":\"query\",\"args\":[\"a\"]}}";
    assertThat(rpc(request("query", params, "1")).body()).isEqualTo(okBody("90", "1"));
  }

  @Test
  void busyEngineIsAClearInvocationFailureAndNothingIsKept() throws Exception {
    engine.busy = true;
    HttpResponse<String> r = rpc(request("invoke", invokeParams("invoke", "a", "b", "10"), "3"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32002,\"message\":\"Invocation failure\","
        + "\"data\":\"Error when invoking chaincode: the transaction queue is full (1000 pending), try again later\"},\"id\":3}\n");
    HttpResponse<String> d = rpc(request("deploy", DEPLOY_PARAMS, "4"));
    assertThat(d.body()).contains("\"code\":-32001,\"message\":\"Deployment failure\",\"data\":\"Error when deploying chaincode: the transaction queue is full");
    assertThat(engine.submitted).hasValue(0);
    assertThat(ledger.height()).isEqualTo(1);
  }

  @Test
  void networkModeNeedsAPathAndAnswersTheDerivedName() throws Exception {
    try (RestServer net = start(false, RestOptions.DEFAULT_MAX_REQUEST_BYTES)) {
      HttpResponse<String> noPath = send(net.port(), "POST", "/chaincode", request("deploy", DEPLOY_PARAMS, "1"));
      assertThat(noPath.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\","
          + "\"data\":\"Chaincode path may not be blank.\"},\"id\":1}\n");

      String params = "{\"type\":4,\"chaincodeID\":{\"path\":\"examples/target/example02.jar\"},\"ctorMsg\":{\"args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}}";
      HttpResponse<String> ok = send(net.port(), "POST", "/chaincode", request("deploy", params, "2"));
      assertThat(ok.body()).matches("\\{\"jsonrpc\":\"2.0\",\"result\":\\{\"status\":\"OK\",\"message\":\"[0-9a-f]{128}\"},\"id\":2}");

      String missing = "{\"chaincodeID\":{\"path\":\"missing\"},\"ctorMsg\":{\"args\":[\"init\"]}}";
      assertThat(send(net.port(), "POST", "/chaincode", request("deploy", missing, "3")).body())
          .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Deployment failure\",\"data\":"
              + "\"Error when deploying chaincode: Error getting chaincode package bytes: path missing does not exist\"},\"id\":3}\n");
    }
  }

  @Test
  void blockEndpointErrors() throws Exception {
    for (String bad : List.of("abc", "-1", "+1", "1.0", "18446744073709551616")) {
      HttpResponse<String> r = send("GET", "/chain/blocks/" + bad, null);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"Error\":\"Block id must be an integer (uint64).\"}");
      assertCommonHeaders(r);
    }
    for (String absent : List.of("1", "18446744073709551615")) {
      HttpResponse<String> r = send("GET", "/chain/blocks/" + absent, null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("{\"Error\":\"openchain: resource not found\"}");
    }
  }

  @Test
  void failedTransactionIsToldApartFromAnUnknownOne() throws Exception {
    String body = rpc(request("invoke", invokeParams("fail", "a"), "1")).body();
    String txid = JSON.readTree(body).get("result").get("message").asText();

    HttpResponse<String> failed = send("GET", "/transactions/" + txid, null);
    assertThat(failed.statusCode()).isEqualTo(404);
    assertThat(failed.body()).isEqualTo("{\"Error\":\"Transaction " + txid + " failed in block 1: "
        + "Transaction or query returned with failure: Incorrect number of arguments\",\"failure\":{\"txid\":\"" + txid
        + "\",\"blockNumber\":1,\"reason\":\"Transaction or query returned with failure: Incorrect number of arguments\"}}");

    HttpResponse<String> unknown = send("GET", "/transactions/nope", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"Error\":\"Transaction nope is not found.\"}");
  }

  @Test
  void networkPeers() throws Exception {
    HttpResponse<String> r = send("GET", "/network/peers", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"peers\":[{\"ID\":{\"name\":\"vp0\"},\"address\":\"127.0.0.1:7051\",\"type\":1}]}\n");
  }

  @Test
  void corsPreflightAndNotFound() throws Exception {
    HttpResponse<String> options = send("OPTIONS", "/chaincode", null);
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.body()).isEmpty();
    assertThat(options.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
    assertCommonHeaders(options);

    for (String[] call : new String[][] {
        {"GET", "/chaincode"}, {"POST", "/chain"}, {"GET", "/nope"}, {"OPTIONS", "/chain"}, {"DELETE", "/chain/blocks/0"},
        {"GET", "/chain/blocks/"}, {"GET", "/chain/blocks/1/2"}, {"GET", "/transactions/"}, {"PUT", "/registrar"}}) {
      HttpResponse<String> r = send(call[0], call[1], call[0].equals("POST") || call[0].equals("PUT") ? "{}" : null);
      assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
      assertThat(r.body()).isEqualTo("{\"Error\":\"Openchain endpoint not found.\"}");
      assertCommonHeaders(r);
    }
  }

  @Test
  void errorsJettyRaisesAreJsonWhateverTheMethod() throws Exception {
    for (String method : List.of("DELETE", "PUT", "PATCH", "TRACE", "OPTIONS", "FOO", "get", "POST")) {
      try (RawHttp raw = new RawHttp(server.port())) {
        RawHttp.Reply r = raw.send(RawHttp.request(method, "/registrar/%2e%2e", null));
        assertThat(r.status()).as(method).isEqualTo(400);
        assertThat(r.headers()).as(method).containsEntry("Content-Type", "application/json")
            .containsEntry("Access-Control-Allow-Origin", "*");
        assertThat(r.body()).as(method).isEqualTo("{\"Error\":\"Bad Request: Ambiguous URI path segment\"}");
      }
    }
  }

  @Test
  void errorsJettyRaisesBeforeAnyHandlerAreJsonToo() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Reply r = raw.send(RawHttp.request("GET", "/chain/blocks/%2F", null));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.headers()).containsEntry("Content-Type", "application/json").containsEntry("Access-Control-Allow-Origin", "*");
      assertThat(JSON.readTree(r.body()).get("Error").asText()).startsWith("Bad Request");
    }
    try (RawHttp raw = new RawHttp(server.port())) {
      String huge = "GET /chain HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n";
      RawHttp.Reply r = raw.send(huge.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      assertThat(r.status()).isEqualTo(431);
      assertThat(JSON.readTree(r.body()).get("Error").asText()).isNotEmpty();
    }
  }

  @Test
  void oversizedBodiesAreRefused() throws Exception {
    try (RestServer small = start(true, 64)) {
      String big = request("query", invokeParams("query", "a", "x".repeat(100)), "1");
      HttpResponse<String> r = send(small.port(), "POST", "/chaincode", big);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request\","
          + "\"data\":\"Request body exceeds the limit of 64 bytes.\"},\"id\":null}\n");
      assertCommonHeaders(r);

      // a body within the limit still works on the same server
      HttpResponse<String> fine = send(small.port(), "POST", "/chaincode", "{\"jsonrpc\":\"2.0\",\"id\":1}");
      assertThat(fine.body()).contains("Missing JSON RPC 2.0 method string.");
    }
  }

  @Test
  void registrarWithSecurityOff() throws Exception {
    HttpResponse<String> empty = send("POST", "/registrar", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("{\"Error\":\"Payload must contain object Secret with enrollId and enrollSecret fields.\"}");

    HttpResponse<String> blank = send("POST", "/registrar", "{\"enrollId\":\"jim\",\"enrollSecret\":\"\"}");
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.body()).isEqualTo("{\"Error\":\"enrollId and enrollSecret may not be blank.\"}");

    HttpResponse<String> login = send("POST", "/registrar", "{\"enrollId\":\"jim\",\"enrollSecret\":\"6avZQLwcUe9b\"}");
    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.body()).isEqualTo("{\"Error\":\"Security NOT enabled\"}");

    HttpResponse<String> status = send("GET", "/registrar/jim", null);
    assertThat(status.statusCode()).isEqualTo(401);
    assertThat(status.body()).isEqualTo("{\"Error\":\"User jim must log in.\"}");

    assertThat(send("DELETE", "/registrar/jim", null).body()).isEqualTo("{\"OK\":\"User jim is not logged in.\"}");

    // a token left by an earlier login is honoured and deleted as the original does
    Path token = dir.resolve("client").resolve("loginToken_jim");
    Files.createDirectories(token.getParent());
    Files.writeString(token, "jim");
    Files.createDirectories(dir.resolve("crypto/client/jim/ks"));
    assertThat(send("GET", "/registrar/jim", null).body()).isEqualTo("{\"OK\":\"User jim is already logged in.\"}");
    assertThat(send("POST", "/registrar", "{\"enrollId\":\"jim\",\"enrollSecret\":\"s\"}").body())
        .isEqualTo("{\"OK\":\"User jim is already logged in.\"}");
    HttpResponse<String> logout = send("DELETE", "/registrar/jim", null);
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(logout.body()).isEqualTo("{\"OK\":\"Deleted login token and directory for user jim.\"}");
    assertThat(token).doesNotExist();
    assertThat(dir.resolve("crypto/client/jim")).doesNotExist();

    HttpResponse<String> ecert = send("GET", "/registrar/jim/ecert", null);
    assertThat(ecert.statusCode()).isEqualTo(400);
    assertThat(ecert.body()).isEqualTo("{\"Error\":\"Security functionality must be enabled before requesting client certificates.\"}");
    assertThat(send("GET", "/registrar/jim/tcert?count=3", null).statusCode()).isEqualTo(400);

    HttpResponse<String> badId = send("GET", "/registrar/a.b", null);
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(badId.body()).isEqualTo("{\"Error\":\"Invalid enrollment ID parameter\"}");
  }

  @Test
  void aTakenPortIsAClearStartFailure() {
    RestServer second = new RestServer(RestOptions.of("127.0.0.1", server.port(), true, dir),
        new Devops(new StandInChaincode(true), engine), ledger, List::of);
    assertThatThrownBy(second::start)
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("Cannot start the REST server on 127.0.0.1:" + server.port() + ": ");
    second.close();
  }

  @Test
  void keepAliveConnectionServesManyRequests() throws Exception {
    // One HttpClient reuses its HTTP/1.1 connection; every answer must be complete for the next to parse.
    for (int i = 0; i < 200; i++) {
      assertThat(rpc(request("query", invokeParams("query", "a"), Integer.toString(i))).body()).isEqualTo(okBody("90", Integer.toString(i)));
    }
  }
}
