package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.spec;

import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code peer node start --peer-chaincodedev}: the user starts example02 by hand (a real process
 * with CORE_CHAINCODE_ID_NAME and CORE_PEER_ADDRESS), then deploys, invokes and queries it by name.
 */
class DevModeEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static String ok(String message, String id) {
    return "{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"" + message + "\"},\"id\":" + id + "}";
  }

  @Test
  void chaincodeStartedByTheUserIsDeployedByName() {
    // the default bucket tree, so that the state hash is the original's for the same state
    PeerEnv env = kit.env("peer").without("CORE_LEDGER_STATE_DATASTRUCTURE_CONFIGS_NUMBUCKETS");
    LocalPeer peer = kit.peer(env, "--peer-chaincodedev");
    RestClient rest = peer.rest();
    ChildProcess chaincode = peer.startChaincodeJar(EXAMPLE02, "mycc");

    // Until the chaincode has registered, a dev-mode deploy fails with "handler not found" (the
    // original's rule) and leaves a failure record: the deploy that commits is the proof that it
    // registered, read from the API rather than from the peer's log.
    Await.until("a deploy of mycc commits (once mycc has registered)", () -> {
      long height = rest.height();
      RestClient.Reply deploy = rest.rpc("deploy", spec(byName("mycc"), "init", "a", "100", "b", "200"), "1");
      assertThat(deploy.body()).isEqualTo(ok("mycc", "1"));
      peer.await("the deploy block", () -> rest.height() == height + 1);
      RestClient.Reply tx = rest.get("/transactions/mycc");
      if (tx.status() != 200) {
        assertThat(tx.json().at("/failure/reason").asText()).startsWith("handler not found for chaincode mycc");
        assertThat(chaincode.isAlive()).as(chaincode.output()).isTrue();
      }
      return tx.status() == 200;
    });
    long deployBlock = rest.height() - 1;
    assertThat(rest.get("/chain/blocks/" + deployBlock).json().get("stateHash").asText())
        .isEqualTo(Golden.MYCC_A100_B200_STATE_HASH_BASE64);

    String txid = rest.rpc("invoke", spec(byName("mycc"), "move", "a", "b", "10"), "2").json()
        .at("/result/message").asText();
    peer.await("the invoke block", () -> rest.get("/transactions/" + txid).status() == 200);
    assertThat(rest.rpc("query", spec(byName("mycc"), "query", "a"), "3").body()).isEqualTo(ok("90", "3"));

    // the user's chaincode ends by itself once the peer is gone (its stream closed)
    assertThat(peer.stop()).isEqualTo(143);
    assertThat(chaincode.awaitExit()).as(chaincode.output()).isZero();
  }
}
