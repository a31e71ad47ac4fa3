package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.MembershipServiceProcess;
import org.jpeer.testkit.PeerNetwork;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four secured PBFT validators (the membership service's test_vp0..3) as real processes: their
 * hellos are signed and checked, users' transactions TCert-signed, and when the primary is killed
 * the others change view with VIEW-CHANGEs signed by their enrolment keys and checked by each other.
 */
class SecuredPbftNetworkIT {
  private static final Path ROOT = Path.of(System.getProperty("jpeer.root", "..")).toAbsolutePath().normalize();
  private static final String[] SECRETS = {"MwYpmSRjupbT", "5wgHK9qqYaPy", "vQelbRvja7cJ", "9LKqKH5peurL"};

  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void fourSecuredPeersAgreeAndChangeViewWithSignedViewChanges() {
    MembershipServiceProcess ca = kit.own(MembershipServiceProcess.start(ROOT, kit.dir().resolve("membersrvc"), Map.of()));
    PeerNetwork net = kit.network(PbftNetworkIT.spec4()
        .withEnv("CORE_SECURITY_ENABLED", "true")
        .withEnv("CORE_PEER_PKI_ECA_PADDR", ca.address())
        .withEnv("CORE_PEER_PKI_TCA_PADDR", ca.address())
        .withEnv("CORE_PEER_PKI_TLSCA_PADDR", ca.address())
        .withPeerEnv(i -> Map.of("CORE_SECURITY_ENROLLID", "test_vp" + i, "CORE_SECURITY_ENROLLSECRET", SECRETS[i])));
    for (LocalPeer p : net.peers()) {
      p.await("discovery complete on " + p.name(), () -> p.rest().get("/network/peers").json().get("peers").size() == 4);
    }
    login(net.peer(1), "jim", "6avZQLwcUe9b");
    login(net.peer(2), "lukas", "NPKYL39uKbkj");

    JsonNode deployed = net.peer(1).rest().rpc("deploy",
        spec(byPath(EXAMPLE02), "jim", "init", "a", "100", "b", "200"), "1").json();
    assertThat(deployed.has("result")).as(deployed.toString()).isTrue();
    String cc = deployed.at("/result/message").asText();
    PbftNetworkIT.awaitCommitted(net.peers(), List.of(cc));

    // a secured non-validating peer (enrolled as a peer) forwards its users' signed transactions;
    // the validator checks them in ProcessTransaction before ordering them
    LocalPeer nvp = kit.peer(kit.env("nvp0")
        .with("CORE_PEER_ID", "nvp0")
        .with("CORE_PEER_VALIDATOR_ENABLED", "false")
        .with("CORE_SECURITY_ENABLED", "true")
        .with("CORE_PEER_PKI_ECA_PADDR", ca.address())
        .with("CORE_PEER_PKI_TCA_PADDR", ca.address())
        .with("CORE_PEER_PKI_TLSCA_PADDR", ca.address())
        .with("CORE_SECURITY_ENROLLID", "test_nvp0").with("CORE_SECURITY_ENROLLSECRET", "iywrPBDEPl0K")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", net.peer(1).grpc().toString()));
    nvp.await("the non-validating peer connected to the four", () -> nvp.rest().get("/network/peers").json()
        .get("peers").size() == 5);
    assertThat(nvp.env().fileSystemPath().resolve("crypto/peer/test_nvp0/ks/raw/enrollment.cert")).exists();
    login(nvp, "binhn", "7avZQLwcUe9q");
    PbftNetworkIT.awaitCommitted(net.peers(), List.of(invoke(nvp, cc, "binhn")));
    JsonNode queried = nvp.rest().rpc("query", spec(byName(cc), "binhn", "query", "a"), "1").json();
    assertThat(queried.at("/result/message").asText()).as(queried.toString()).isEqualTo("99");

    net.kill(0); // the primary of view 0
    List<LocalPeer> backups = List.of(net.peer(1), net.peer(2), net.peer(3));
    List<String> txids = new ArrayList<>();
    txids.add(invoke(net.peer(1), cc, "jim"));
    txids.add(invoke(net.peer(2), cc, "lukas"));
    PbftNetworkIT.awaitCommitted(backups, txids);
    PbftNetworkIT.assertSameChain(backups);

    String output = net.output();
    assertThat(output).contains("sends VIEW-CHANGE for view 1");
    assertThat(output).doesNotContain("its signature does not verify").doesNotContain("Refused the DISC_HELLO");
  }

  private static void login(LocalPeer peer, String id, String secret) {
    var reply = peer.rest().post("/registrar", "{\"enrollId\":\"" + id + "\",\"enrollSecret\":\"" + secret + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  private static String invoke(LocalPeer via, String cc, String user) {
    JsonNode answer = via.rest().rpc("invoke", spec(byName(cc), user, "move", "a", "b", "1"), "1").json();
    assertThat(answer.has("result")).as("invoke through %s answered %s", via.name(), answer).isTrue();
    return answer.at("/result/message").asText();
  }

  private static String spec(String chaincodeId, String user, String... args) {
    String base = Examples.spec(chaincodeId, args);
    return base.substring(0, base.length() - 1) + ",\"secureContext\":\"" + user + "\"}";
  }
}
