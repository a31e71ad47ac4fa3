package org.jpeer.peer.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.peer.cli.PeerCli;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole peers in this JVM ({@code PeerNode.start}, real gRPC, REST, RocksDB and example02 chaincode
 * processes): how they list each other, noops validators executing each other's transactions, and
 * a non-validating peer forwarding to them.
 */
class PeerNetworkEndToEndTest {
  private static final Path EXAMPLE02 =
      Path.of("..", "examples", "target", "example02.jar").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<InProcessPeer> peers = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = peers.size() - 1; i >= 0; i--) {
      peers.get(i).close();
    }
  }

  private InProcessPeer start(String id, int port, Map<String, String> env) throws Exception {
    InProcessPeer p = InProcessPeer.start(dir, id, port, env);
    peers.add(p);
    return p;
  }

  private void stop(InProcessPeer p) throws Exception {
    peers.remove(p);
    p.close();
  }

  private static List<String> peerIds(InProcessPeer p) {
    return OpenchainGrpc.newBlockingStub(p.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getPeers(Empty.getDefaultInstance()).getPeersList().stream()
        .map(e -> e.getID().getName()).sorted().toList();
  }

  @Test
  void peersListEachOtherOverGrpcRestAndTheCli() throws Exception {
    InProcessPeer vp0 = start("vp0", 0, Map.of());
    Map<String, String> root = Map.of("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString());
    InProcessPeer vp1 = start("vp1", 0, root);
    InProcessPeer nvp = start("nvp0", 0, Map.of("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString(),
        "CORE_PEER_VALIDATOR_ENABLED", "false"));
    Await.until("everybody knows everybody", () -> peerIds(vp1).equals(List.of("nvp0", "vp0"))
        && peerIds(vp0).equals(List.of("nvp0", "vp1")) && peerIds(nvp).equals(List.of("vp0", "vp1")),
        () -> peerIds(vp0) + " " + peerIds(vp1) + " " + peerIds(nvp));

    // REST: the peer itself first, then the others; type 1 = VALIDATOR, 2 = NON_VALIDATOR
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(vp1.rest().resolve("/network/peers")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode list = JSON.readTree(r.body()).get("peers");
    assertThat(list).hasSize(3);
    assertThat(list.get(0).get("ID").get("name").asText()).isEqualTo("vp1");
    assertThat(list.get(0).get("address").asText()).isEqualTo(vp1.grpc().toString());
    assertThat(list.get(0).get("type").asInt()).isEqualTo(1);
    for (JsonNode p : list) {
      if (p.get("ID").get("name").asText().equals("nvp0")) {
        assertThat(p.get("type").asInt()).isEqualTo(2);
        assertThat(p.get("address").asText()).isEqualTo(nvp.grpc().toString());
      }
    }

    // peer network list: Openchain.GetPeers, the other peers only
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = PeerCli.run(new String[] {"network", "list"}, Map.of("CORE_PEER_ADDRESS", vp1.grpc().toString()),
        dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    JsonNode cli = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("Peers");
    assertThat(cli).hasSize(2);
    assertThat(cli.findValuesAsText("name")).containsExactlyInAnyOrder("vp0", "nvp0");
    assertThat(cli.toString()).contains("\"type\":2").doesNotContain("vp1");
  }

  private static ChaincodeSpec spec(ChaincodeID id, String... args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (String a : args) {
      input.addArgs(ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA).setChaincodeID(id).setCtorMsg(input).build();
  }

  private static DevopsGrpc.DevopsBlockingStub devops(InProcessPeer p) {
    return DevopsGrpc.newBlockingStub(p.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static String query(InProcessPeer p, ChaincodeID id, String key) {
    try {
      Response r = devops(p).query(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "query", key)).build());
      return r.getStatus() == Response.StatusCode.SUCCESS ? r.getMsg().toStringUtf8() : "FAILURE " + r.getMsg();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static void awaitValue(InProcessPeer p, ChaincodeID id, String key, String value) {
    Await.until(p.id + " has " + key + "=" + value, Duration.ofSeconds(90), () -> value.equals(query(p, id, key)),
        () -> query(p, id, key));
  }

  private static String invoke(InProcessPeer p, ChaincodeID id, String... args) {
    Response r = devops(p).invoke(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, args)).build());
    assertThat(r.getStatus()).as(r.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    return r.getMsg().toStringUtf8();
  }

  @Test
  void noopsValidatorsExecuteEachOthersTransactionsAndANonValidatorFailsOver() throws Exception {
    assertThat(Files.isRegularFile(EXAMPLE02)).as(EXAMPLE02 + " (built by the examples module)").isTrue();
    InProcessPeer vp0 = start("vp0", 0, Map.of());
    int vp0Port = vp0.grpc().port();
    Map<String, String> root = Map.of("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString());
    InProcessPeer vp1 = start("vp1", 0, root);
    InProcessPeer nvp = start("nvp0", 0, Map.of("CORE_PEER_DISCOVERY_ROOTNODE", vp0.grpc().toString(),
        "CORE_PEER_VALIDATOR_ENABLED", "false"));
    Await.until("connected", () -> peerIds(nvp).equals(List.of("vp0", "vp1")) && peerIds(vp0).contains("vp1"));

    // a deploy on vp0 runs on vp1 too: noops sends it as a CONSENSUS TransactionBlock
    String name = devops(vp0).deploy(spec(ChaincodeID.newBuilder().setPath(EXAMPLE02.toString()).build(),
        "init", "a", "100", "b", "200")).getChaincodeSpec().getChaincodeID().getName();
    ChaincodeID id = ChaincodeID.newBuilder().setName(name).build();
    awaitValue(vp1, id, "a", "100");
    awaitValue(vp0, id, "a", "100");

    // through the non-validating peer: it has no consenter and forwards to a validator
    String txid = invoke(nvp, id, "move", "a", "b", "10");
    awaitValue(vp0, id, "a", "90");
    awaitValue(vp1, id, "a", "90");
    assertThat(query(nvp, id, "a")).isEqualTo("90");
    assertThat(nvp.channel()).isNotNull();
    assertThat(OpenchainGrpc.newBlockingStub(nvp.channel()).getBlockCount(Empty.getDefaultInstance()).getCount())
        .as("the non-validating peer writes no blocks").isEqualTo(1);
    assertThat(txid).isNotEmpty();

    // vp0 goes: whichever validator it used, the non-validating peer carries on with vp1
    stop(vp0);
    Await.until("nvp0 sees vp0 gone", () -> peerIds(nvp).equals(List.of("vp1")));
    invoke(nvp, id, "move", "a", "b", "10");
    awaitValue(vp1, id, "a", "80");
    assertThat(query(nvp, id, "a")).isEqualTo("80");

    // vp0 back where it was (its state: a=90, noops does not catch up), then vp1 goes: now vp0
    InProcessPeer vp0again = start("vp0", vp0Port, Map.of());
    Await.until("nvp0 reconnected to vp0", () -> peerIds(nvp).equals(List.of("vp0", "vp1")));
    stop(vp1);
    Await.until("nvp0 sees vp1 gone", () -> peerIds(nvp).equals(List.of("vp0")));
    invoke(nvp, id, "move", "a", "b", "10");
    awaitValue(vp0again, id, "a", "80");
    assertThat(query(nvp, id, "a")).isEqualTo("80");
    assertThat(peerIds(vp0again)).containsExactly("nvp0");
    PeerEndpoint.Type type = OpenchainGrpc.newBlockingStub(vp0again.channel()).getPeers(Empty.getDefaultInstance())
        .getPeers(0).getType();
    assertThat(type).isEqualTo(PeerEndpoint.Type.NON_VALIDATOR);
  }
}
