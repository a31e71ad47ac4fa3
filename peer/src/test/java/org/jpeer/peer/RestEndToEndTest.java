package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.jpeer.ledger.Blocks;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's flow over REST, as a user does it with curl, against a real peer process and a real
 * example02 process: deploy by path, invoke {@code move a b 10}, query {@code a} → {@code 90}; then
 * the chain, block and transaction JSON, failed versus unknown transactions, notifications and
 * bad input. Each test has a peer of its own.
 */
class RestEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static String ok(String message, String id) {
    return "{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"" + message + "\"},\"id\":" + id + "}";
  }

  /** Deploys example02 with a=100, b=200 and waits for its block; returns the chaincode name. */
  private static String deployExample02(LocalPeer peer) {
    RestClient rest = peer.rest();
    long height = rest.height();
    RestClient.Reply deploy = rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String name = deploy.json().at("/result/message").asText();
    assertThat(name).matches(Golden.CHAINCODE_NAME);
    assertThat(deploy.body()).isEqualTo(ok(name, "1"));
    peer.await("the deploy block", () -> rest.height() == height + 1);
    // a failed deploy would give a block too, without its transaction
    assertThat(rest.get("/transactions/" + name).status()).as("the deploy is committed").isEqualTo(200);
    return name;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void seedFlowAndTheChainAsTheOriginalShowsIt() throws Exception {
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    JsonNode genesisChain = rest.get("/chain").json();
    assertThat(genesisChain.toString()).isEqualTo(
        "{\"height\":1,\"currentBlockHash\":\"" + Golden.GENESIS_BLOCK_HASH_BASE64 + "\"}");

    String name = deployExample02(peer);
    String block1Hash = rest.get("/chain").json().get("currentBlockHash").asText();

    RestClient.Reply invoke = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "10"), "\"two\"");
    assertThat(invoke.status()).isEqualTo(200);
    String invokeTxid = invoke.json().at("/result/message").asText();
    assertThat(invokeTxid).matches(Golden.INVOKE_TXID);
    assertThat(invoke.body()).isEqualTo(ok(invokeTxid, "\"two\""));
    peer.await("the invoke block", () -> rest.height() == 3);

    RestClient.Reply query = rest.rpc("query", spec(byName(name), "query", "a"), "3");
    assertThat(query.body()).isEqualTo(ok("90", "3"));
    assertThat(query.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(query.header("Content-Type")).startsWith("application/json");

    // the chain links block to block with the original's hashes
    OpenchainGrpc.OpenchainBlockingStub openchain = OpenchainGrpc.newBlockingStub(peer.channel());
    Block one = openchain.getBlockByNumber(BlockNumber.newBuilder().setNumber(1).build());
    Block two = openchain.getBlockByNumber(BlockNumber.newBuilder().setNumber(2).build());
    assertThat(b64(Blocks.hash(one))).isEqualTo(block1Hash);
    JsonNode chain = rest.get("/chain").json();
    assertThat(chain.toString()).isEqualTo("{\"height\":3,\"currentBlockHash\":\"" + b64(Blocks.hash(two))
        + "\",\"previousBlockHash\":\"" + block1Hash + "\"}");

    JsonNode genesis = rest.get("/chain/blocks/0").json();
    assertThat(genesis.has("transactions")).isFalse();
    assertThat(genesis.at("/nonHashData/localLedgerCommitTimestamp/seconds").asLong()).isPositive();

    JsonNode deployBlock = rest.get("/chain/blocks/1").json();
    JsonNode tx = deployBlock.at("/transactions/0");
    assertThat(tx.get("type").asInt()).isEqualTo(1);
    assertThat(ChaincodeID.parseFrom(Base64.getDecoder().decode(tx.get("chaincodeID").asText())).getName())
        .isEqualTo(name);
    assertThat(tx.get("txid").asText()).isEqualTo(name);
    assertThat(tx.at("/timestamp/seconds").asLong()).isPositive();
    assertThat(deployBlock.get("stateHash").asText()).isEqualTo(b64(one.getStateHash().toByteArray()));
    assertThat(deployBlock.get("previousBlockHash").asText()).isEqualTo(Golden.GENESIS_BLOCK_HASH_BASE64);
    assertThat(deployBlock.at("/nonHashData/chaincodeEvents").toString()).isEqualTo("[{}]");

    JsonNode invokeBlock = rest.get("/chain/blocks/2").json();
    assertThat(invokeBlock.at("/transactions/0/txid").asText()).isEqualTo(invokeTxid);
    assertThat(invokeBlock.at("/transactions/0/type").asInt()).isEqualTo(2);
    assertThat(invokeBlock.get("previousBlockHash").asText()).isEqualTo(block1Hash);

    RestClient.Reply txAnswer = rest.get("/transactions/" + invokeTxid);
    assertThat(txAnswer.status()).isEqualTo(200);
    assertThat(txAnswer.json().get("txid").asText()).isEqualTo(invokeTxid);

    RestClient.Reply beyond = rest.get("/chain/blocks/3");
    assertThat(beyond.status()).isEqualTo(404);
    assertThat(beyond.body().trim()).isEqualTo("{\"Error\":\"openchain: resource not found\"}");
    RestClient.Reply bad = rest.get("/chain/blocks/abc");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().trim()).isEqualTo("{\"Error\":\"Block id must be an integer (uint64).\"}");

    assertThat(rest.get("/network/peers").body().trim()).isEqualTo(
        "{\"peers\":[{\"ID\":{\"name\":\"jdoe\"},\"address\":\"" + peer.grpc() + "\",\"type\":1}]}");
  }

  @Test
  void failedInvokeIsRecordedAndToldApartFromAnUnknownOneAndNotificationsRun() {
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    String name = deployExample02(peer);

    RestClient.Reply invoke = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "ten"), "4");
    String txid = invoke.json().at("/result/message").asText();
    assertThat(invoke.body()).isEqualTo(ok(txid, "4"));
    peer.await("the failed invoke's block", () -> rest.height() == 3);
    JsonNode block = rest.get("/chain/blocks/2").json();
    assertThat(block.has("transactions")).isFalse();
    // as the original: the failed transaction still has its (empty) chaincode event
    assertThat(block.at("/nonHashData/chaincodeEvents").toString()).isEqualTo("[{}]");

    String reason = "Transaction or query returned with failure: Invalid transaction amount, expecting a integer value";
    RestClient.Reply failed = rest.get("/transactions/" + txid);
    assertThat(failed.status()).isEqualTo(404);
    assertThat(failed.body().trim()).isEqualTo("{\"Error\":\"Transaction " + txid + " failed in block 2: " + reason
        + "\",\"failure\":{\"txid\":\"" + txid + "\",\"blockNumber\":2,\"reason\":\"" + reason + "\"}}");
    RestClient.Reply unknown = rest.get("/transactions/no-such-tx");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().trim()).isEqualTo("{\"Error\":\"Transaction no-such-tx is not found.\"}");
    assertThat(rest.rpc("query", spec(byName(name), "query", "a"), "5").body()).isEqualTo(ok("100", "5"));

    // a notification (no id) is executed but answered with an empty body
    RestClient.Reply note = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "5"), null);
    assertThat(note.status()).isEqualTo(200);
    assertThat(note.body()).isEmpty();
    peer.await("the notification's block", () -> rest.height() == 4);
    assertThat(rest.rpc("query", spec(byName(name), "query", "a"), "6").body()).isEqualTo(ok("95", "6"));
  }

  @Test
  void badInputIsAnsweredAsTheOriginalDoes() {
    RestClient rest = kit.peer().rest();
    RestClient.Reply empty = rest.post("/chaincode", "");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body().trim()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request\","
        + "\"data\":\"Client must supply a payload for chaincode requests.\"},\"id\":null}");

    RestClient.Reply parse = rest.post("/chaincode", "{\"jsonrpc\":\"2.0\",\"id\":7");
    assertThat(parse.status()).isEqualTo(400);
    assertThat(parse.body().trim()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\","
        + "\"data\":\"Error unmarshalling chaincode request payload: unexpected end of JSON input\"},\"id\":null}");

    RestClient.Reply method = rest.post("/chaincode", "{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"params\":{},\"id\":8}");
    assertThat(method.status()).isEqualTo(404);
    assertThat(method.body().trim()).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\",\"data\":\"Requested method does not exist.\"},\"id\":8}");

    RestClient.Reply noId = rest.post("/chaincode",
        "{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"type\":4,\"ctorMsg\":{\"args\":[\"init\"]}},\"id\":10}");
    assertThat(noId.status()).isEqualTo(200);
    assertThat(noId.body().trim()).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\",\"data\":\"Payload must contain a ChaincodeID.\"},\"id\":10}");

    RestClient.Reply unknownCc = rest.rpc("query", spec(byName("nosuchcc"), "query", "a"), "11");
    assertThat(unknownCc.status()).isEqualTo(200);
    assertThat(unknownCc.body().trim()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32003,\"message\":\"Query failure\","
        + "\"data\":\"Error when querying chaincode: Error:Failed to launch chaincode spec(Could not get deployment"
        + " transaction for nosuchcc - LedgerError - ResourceNotFound: ledger: resource not found)\"},\"id\":11}");

    RestClient.Reply route = rest.get("/nowhere");
    assertThat(route.status()).isEqualTo(404);
    assertThat(route.body().trim()).isEqualTo("{\"Error\":\"Openchain endpoint not found.\"}");
  }
}
