package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.invocation;
import static org.jpeer.peer.Examples.spec;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One size policy, {@code peer.maxMessageSize}: arguments that would make the message to the chaincode
 * too large are refused at the door, over REST and gRPC alike, with the limit named; the chaincode's
 * stream and another client's request are untouched. (Before, a 2.1 MB argument broke the stream:
 * the chaincode was replaced and a concurrent query failed with it.)
 */
class MessageSizeEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static final Path MAP = EXAMPLE02.resolveSibling("map.jar");

  @Test
  void argumentsTooLargeForTheChaincodeAreRefusedAtTheDoorAndHarmNobody() throws Exception {
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    String name = rest.rpc("deploy", spec(byPath(MAP), "init"), "1").json().at("/result/message").asText();
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);

    String almost = "x".repeat(1_900_000);
    RestClient.Reply fits = rest.rpc("invoke", spec(byName(name), "put", "big", almost), "2");
    String txid = fits.json().at("/result/message").asText();
    peer.await("the 1.9 MB put", () -> rest.get("/transactions/" + txid).status() == 200);
    List<Long> chaincodeBefore = peer.chaincodeProcesses().stream().map(ProcessHandle::pid).toList();
    assertThat(chaincodeBefore).isNotEmpty();

    String tooBig = "x".repeat(2_100_000);
    // another client's query runs while the oversize requests come in
    CompletableFuture<RestClient.Reply> other = CompletableFuture.supplyAsync(
        () -> peer.rest().rpc("query", spec(byName(name), "keys"), "9"));
    String expected = "at most 2064384 are accepted (peer.maxMessageSize=4194304: arguments travel twice in the"
        + " message to the chaincode)";
    RestClient.Reply invoke = rest.rpc("invoke", spec(byName(name), "put", "k", tooBig), "3");
    assertThat(invoke.status()).isEqualTo(200);
    assertThat(invoke.json().at("/error/data").asText()).contains(expected);
    RestClient.Reply query = rest.rpc("query", spec(byName(name), "get", tooBig), "4");
    assertThat(query.json().at("/error/data").asText()).contains(expected);
    RestClient.Reply deploy = rest.rpc("deploy", spec(byPath(MAP), "init", tooBig), "5");
    assertThat(deploy.json().at("/error/data").asText()).contains(expected);

    // gRPC Devops answers a refused invoke as the original answers its errors: a failed call
    assertThatThrownBy(() -> DevopsGrpc.newBlockingStub(peer.channel()).invoke(invocation(name, "put", "k", tooBig)))
        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining(expected);

    assertThat(other.get().json().at("/result/message").asText()).contains("big");
    RestClient.Reply get = rest.rpc("query", spec(byName(name), "get", "big"), "6");
    assertThat(get.json().at("/result/message").asText()).hasSize(almost.length());
    assertThat(peer.chaincodeProcesses().stream().map(ProcessHandle::pid).toList())
        .as("the chaincode was not replaced").isEqualTo(chaincodeBefore);
  }
}
