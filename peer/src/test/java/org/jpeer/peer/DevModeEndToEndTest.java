package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peer node start --peer-chaincodedev}: the user starts example02 by hand (a real process
 * with CORE_CHAINCODE_ID_NAME and CORE_PEER_ADDRESS), then deploys, invokes and queries it by name.
 */
class DevModeEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workDir;
  private RunningPeer peer;
  private Process chaincode;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (chaincode != null) {
      chaincode.destroyForcibly().waitFor();
    }
    if (peer != null) {
      peer.close();
    }
  }

  private JsonNode rpc(String method, String args, int id) throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":{\"type\":4,\"chaincodeID\":{\"name\":\"mycc\"},"
        + "\"ctorMsg\":{\"args\":" + args + "}},\"id\":" + id + "}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(peer.rest().resolve("/chaincode"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private long height() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(peer.rest().resolve("/chain")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("height").asLong();
  }

  @Test
  void chaincodeStartedByTheUserIsDeployedByName() throws Exception {
    peer = RunningPeer.start(workDir, Map.of(), "--peer-chaincodedev");
    assertThat(peer.output()).contains("chaincode development mode");
    ProcessBuilder cc = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", RunningPeer.EXAMPLE02.toString()))
        .redirectErrorStream(true).redirectOutput(workDir.resolve("chaincode.log").toFile());
    cc.environment().put("CORE_CHAINCODE_ID_NAME", "mycc");
    cc.environment().put("CORE_PEER_ADDRESS", peer.grpc().toString());
    chaincode = cc.start();
    peer.process.await("the chaincode to register", () -> peer.output().contains("Chaincode mycc registered"));

    JsonNode deploy = rpc("deploy", "[\"init\",\"a\",\"100\",\"b\",\"200\"]", 1);
    assertThat(deploy.at("/result/message").asText()).as(deploy.toString()).isEqualTo("mycc");
    peer.process.await("the deploy block", () -> height() == 2);
    rpc("invoke", "[\"move\",\"a\",\"b\",\"10\"]", 2);
    peer.process.await("the invoke block", () -> height() == 3);
    assertThat(rpc("query", "[\"query\",\"a\"]", 3).at("/result/message").asText()).isEqualTo("90");
  }
}
