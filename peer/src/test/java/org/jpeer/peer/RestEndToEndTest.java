package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.jpeer.protos.ChaincodeID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's flow over REST, as a user does it with curl, against a real peer process and a real
 * example02 process: deploy by path, invoke {@code move a b 10}, query {@code a} → {@code 90}; then
 * the chain, block and transaction JSON, failed versus unknown transactions, notifications and
 * bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path workDir;
  private RunningPeer peer;
  private URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String name;
  private String invokeTxid;

  @BeforeAll
  void startPeer() throws Exception {
    peer = RunningPeer.start(workDir, Map.of());
    base = peer.rest();
  }

  @AfterAll
  void stopPeer() throws Exception {
    peer.close();
  }

  record Answer(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private Answer post(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), r);
  }

  private Answer get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), r);
  }

  private String rpc(String method, String chaincodeId, String args, Object id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":{\"type\":4,\"chaincodeID\":" + chaincodeId
        + ",\"ctorMsg\":{\"args\":" + args + "}}" + (id == null ? "" : ",\"id\":" + id) + "}";
  }

  private long height() throws Exception {
    return get("/chain").json().get("height").asLong();
  }

  @Test
  @Order(1)
  void seedFlowDeployInvokeQuery() throws Exception {
    Answer deploy = post("/chaincode", rpc("deploy", "{\"path\":\"" + RunningPeer.EXAMPLE02 + "\"}",
        "[\"init\",\"a\",\"100\",\"b\",\"200\"]", 1));
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    JsonNode d = deploy.json();
    assertThat(d.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(d.get("id").asInt()).isEqualTo(1);
    assertThat(d.at("/result/status").asText()).isEqualTo("OK");
    name = d.at("/result/message").asText();
    assertThat(name).matches("[0-9a-f]{128}");
    peer.process.await("the deploy block", () -> height() == 2);

    Answer invoke = post("/chaincode", rpc("invoke", "{\"name\":\"" + name + "\"}", "[\"move\",\"a\",\"b\",\"10\"]", "\"two\""));
    assertThat(invoke.status()).isEqualTo(200);
    assertThat(invoke.json().get("id").asText()).isEqualTo("two");
    invokeTxid = invoke.json().at("/result/message").asText();
    assertThat(invokeTxid).isNotBlank();
    peer.process.await("the invoke block", () -> height() == 3);

    Answer query = post("/chaincode", rpc("query", "{\"name\":\"" + name + "\"}", "[\"query\",\"a\"]", 3));
    assertThat(query.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"90\"},\"id\":3}");
    assertThat(query.raw().headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(query.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  @Order(2)
  void chainBlockAndTransactionJson() throws Exception {
    JsonNode chain = get("/chain").json();
    assertThat(chain.get("height").asLong()).isEqualTo(3);
    assertThat(Base64.getDecoder().decode(chain.get("currentBlockHash").asText())).hasSize(64);

    JsonNode genesis = get("/chain/blocks/0").json();
    assertThat(genesis.has("transactions")).isFalse();
    assertThat(genesis.at("/nonHashData/localLedgerCommitTimestamp/seconds").asLong()).isPositive();

    JsonNode deployBlock = get("/chain/blocks/1").json();
    JsonNode tx = deployBlock.at("/transactions/0");
    assertThat(tx.get("type").asInt()).isEqualTo(1);
    assertThat(ChaincodeID.parseFrom(Base64.getDecoder().decode(tx.get("chaincodeID").asText())).getName()).isEqualTo(name);
    assertThat(tx.get("txid").asText()).isEqualTo(name);
    assertThat(tx.at("/timestamp/seconds").asLong()).isPositive();
    assertThat(deployBlock.get("stateHash").asText()).isNotEmpty();
    assertThat(deployBlock.get("previousBlockHash").asText()).isNotEmpty();
    assertThat(deployBlock.at("/nonHashData/chaincodeEvents")).hasSize(1);

    JsonNode invokeBlock = get("/chain/blocks/2").json();
    assertThat(invokeBlock.at("/transactions/0/txid").asText()).isEqualTo(invokeTxid);
    assertThat(invokeBlock.at("/transactions/0/type").asInt()).isEqualTo(2);

    Answer txAnswer = get("/transactions/" + invokeTxid);
    assertThat(txAnswer.status()).isEqualTo(200);
    assertThat(txAnswer.json().get("txid").asText()).isEqualTo(invokeTxid);

    Answer beyond = get("/chain/blocks/3");
    assertThat(beyond.status()).isEqualTo(404);
    assertThat(beyond.body().trim()).isEqualTo("{\"Error\":\"openchain: resource not found\"}");
    Answer bad = get("/chain/blocks/abc");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().trim()).isEqualTo("{\"Error\":\"Block id must be an integer (uint64).\"}");

    JsonNode peers = get("/network/peers").json();
    assertThat(peers.at("/peers/0/ID/name").asText()).isEqualTo("jdoe");
    assertThat(peers.at("/peers/0/address").asText()).isEqualTo(peer.grpc().toString());
    assertThat(peers.at("/peers/0/type").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void failedInvokeIsRecordedAndToldApartFromAnUnknownOne() throws Exception {
    long before = height();
    Answer invoke = post("/chaincode", rpc("invoke", "{\"name\":\"" + name + "\"}", "[\"move\",\"a\",\"b\",\"ten\"]", 4));
    assertThat(invoke.json().at("/result/status").asText()).isEqualTo("OK");
    String txid = invoke.json().at("/result/message").asText();
    peer.process.await("the failed invoke's block", () -> height() == before + 1);
    JsonNode block = get("/chain/blocks/" + before).json();
    assertThat(block.has("transactions")).isFalse();
    // as the original: the failed transaction still has its (empty) chaincode event
    assertThat(block.at("/nonHashData/chaincodeEvents").toString()).isEqualTo("[{}]");

    Answer failed = get("/transactions/" + txid);
    assertThat(failed.status()).isEqualTo(404);
    assertThat(failed.json().at("/failure/blockNumber").asLong()).isEqualTo(before);
    assertThat(failed.json().at("/failure/reason").asText()).contains("Invalid transaction amount");
    Answer unknown = get("/transactions/no-such-tx");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().trim()).isEqualTo("{\"Error\":\"Transaction no-such-tx is not found.\"}");

    Answer query = post("/chaincode", rpc("query", "{\"name\":\"" + name + "\"}", "[\"query\",\"a\"]", 5));
    assertThat(query.json().at("/result/message").asText()).isEqualTo("90");
  }

  @Test
  @Order(4)
  void notificationIsExecutedButAnsweredWithAnEmptyBody() throws Exception {
    long before = height();
    Answer note = post("/chaincode", rpc("invoke", "{\"name\":\"" + name + "\"}", "[\"move\",\"a\",\"b\",\"5\"]", null));
    assertThat(note.status()).isEqualTo(200);
    assertThat(note.body()).isEmpty();
    peer.process.await("the notification's block", () -> height() == before + 1);
    Answer query = post("/chaincode", rpc("query", "{\"name\":\"" + name + "\"}", "[\"query\",\"a\"]", 6));
    assertThat(query.json().at("/result/message").asText()).isEqualTo("85");
  }

  @Test
  @Order(5)
  void badInputIsAnsweredAsTheOriginalDoes() throws Exception {
    Answer empty = post("/chaincode", "");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(empty.json().at("/error/data").asText()).isEqualTo("Client must supply a payload for chaincode requests.");

    Answer parse = post("/chaincode", "{\"jsonrpc\":\"2.0\",");
    assertThat(parse.status()).isEqualTo(400);
    assertThat(parse.json().at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(parse.json().get("id").isNull()).isTrue();

    Answer method = post("/chaincode", "{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"params\":{},\"id\":8}");
    assertThat(method.status()).isEqualTo(404);
    assertThat(method.body().trim()).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\",\"data\":\"Requested method does not exist.\"},\"id\":8}");

    Answer noId = post("/chaincode", "{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"type\":4,\"ctorMsg\":{\"args\":[\"init\"]}},\"id\":10}");
    assertThat(noId.status()).isEqualTo(200);
    assertThat(noId.body().trim()).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\",\"data\":\"Payload must contain a ChaincodeID.\"},\"id\":10}");

    Answer unknownCc = post("/chaincode", rpc("query", "{\"name\":\"nosuchcc\"}", "[\"query\",\"a\"]", 11));
    assertThat(unknownCc.status()).isEqualTo(200);
    assertThat(unknownCc.json().at("/error/code").asInt()).isEqualTo(-32003);
    assertThat(unknownCc.json().at("/error/data").asText()).startsWith("Error when querying chaincode: ");

    Answer route = get("/nowhere");
    assertThat(route.status()).isEqualTo(404);
    assertThat(route.body().trim()).isEqualTo("{\"Error\":\"Openchain endpoint not found.\"}");
  }
}
