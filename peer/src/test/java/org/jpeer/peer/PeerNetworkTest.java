package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.spec;

import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerNetwork;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kit's multi-peer network on the consenter this build has (noops): separate peer processes,
 * each with its id, data and ports; one killed and restarted on its data, one frozen and thawed.
 * PBFT scenarios use the same calls with {@code PeerNetwork.Spec.pbft(4)}.
 */
class PeerNetworkTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void twoPeersRunAsSeparateProcessesEachWithItsIdDataAndPorts() {
    PeerNetwork net = kit.network(PeerNetwork.Spec.noops(2));
    LocalPeer vp0 = net.peer(0);
    LocalPeer vp1 = net.peer(1);
    assertThat(vp0.pid()).isNotEqualTo(vp1.pid());
    assertThat(vp0.grpc()).isNotEqualTo(vp1.grpc());
    assertThat(vp0.env().fileSystemPath()).isNotEqualTo(vp1.env().fileSystemPath());
    assertThat(vp1.env().get("CORE_PEER_DISCOVERY_ROOTNODE")).isEqualTo(vp0.grpc().toString());
    for (int i = 0; i < 2; i++) {
      RestClient rest = net.peer(i).rest();
      assertThat(rest.get("/chain").body().trim()).isEqualTo(
          "{\"height\":1,\"currentBlockHash\":\"" + Golden.GENESIS_BLOCK_HASH_BASE64 + "\"}");
      assertThat(rest.get("/network/peers").json().at("/peers/0/ID/name").asText()).isEqualTo("vp" + i);
    }
  }

  @Test
  void aKilledPeerRestartsOnItsDataAndPortsAndAFrozenOneComesBack() {
    PeerNetwork net = kit.network(PeerNetwork.Spec.noops(2));
    LocalPeer vp0 = net.peer(0);
    LocalPeer vp1 = net.peer(1);
    vp0.await("the two noops validators connected", () -> vp0.rest().get("/network/peers").json().get("peers").size() == 2);
    // an invoke of a chaincode that does not exist: ordered, failed, recorded in block 1 — on both
    // peers, since noops validators order each other's transactions (reference consensus.md §4)
    String txid = vp1.rest().rpc("invoke", spec(byName("nosuchcc"), "f"), "1").json().at("/result/message").asText();
    vp1.await("the failed invoke's block on vp1", () -> vp1.rest().height() == 2);
    vp0.await("the failed invoke's block on vp0", () -> vp0.rest().height() == 2);
    var grpc = vp1.grpc();
    var rest = vp1.restUri();

    net.kill(1);
    assertThat(vp1.process().isAlive()).isFalse();
    net.restart(1);
    assertThat(vp1.grpc()).isEqualTo(grpc);
    assertThat(vp1.restUri()).isEqualTo(rest);
    assertThat(vp1.rest().height()).as("the ledger survived the crash").isEqualTo(2);
    assertThat(vp1.rest().get("/transactions/" + txid).json().at("/failure/blockNumber").asLong()).isEqualTo(1);

    vp0.await("vp1 connected again", () -> vp0.rest().get("/network/peers").json().get("peers").size() == 2);
    vp1.await("vp0 connected again", () -> vp1.rest().get("/network/peers").json().get("peers").size() == 2);
    net.partition(1); // checked: the process is in state T
    vp0.rest().rpc("invoke", spec(byName("nosuchcc"), "g"), "1");
    vp0.await("the other peer goes on while vp1 is frozen", () -> vp0.rest().height() == 3);
    net.heal(1);
    vp1.await("the thawed peer orders what it was sent meanwhile", () -> vp1.rest().height() == 3);
  }
}
