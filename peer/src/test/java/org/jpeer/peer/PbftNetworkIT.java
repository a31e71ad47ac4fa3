package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerNetwork;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four PBFT validators as separate {@code peer node start} processes on loopback, with example02
 * chaincode, through the failures a user expects them to survive (the original's bddtests,
 * reference consensus.md §5.18, with its settings: K=2, one transaction per batch).
 */
class PbftNetworkIT {
  @RegisterExtension final TestKit kit = new TestKit();

  /** The original's test network settings; the log window is small so that catching up needs state transfer. */
  static PeerNetwork.Spec spec4() {
    return PeerNetwork.Spec.pbft(4)
        .withEnv("CORE_PBFT_GENERAL_K", "2")
        .withEnv("CORE_PBFT_GENERAL_LOGMULTIPLIER", "2")
        .withEnv("CORE_PBFT_GENERAL_BATCHSIZE", "1");
  }

  /** How long a returning replica may take to be back in step with no further traffic (issue target). */
  static final Duration CATCH_UP = Duration.ofSeconds(5);

  @Test
  void fourPeersFindEachOtherAndAgreeOnEveryBlock() {
    PeerNetwork net = kit.network(spec4());
    for (LocalPeer p : net.peers()) {
      p.await("discovery complete on " + p.name(), () -> p.rest().get("/network/peers").json().get("peers").size() == 4);
    }
    String cc = deploy(net.peer(0), net.peers());
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      txids.add(invoke(net.peer(1), cc));
      txids.add(invoke(net.peer(2), cc));
    }
    awaitCommitted(net.peers(), txids);
    for (LocalPeer p : net.peers()) {
      assertThat(query(p, cc, "a")).as("a on %s", p.name()).isEqualTo("92");
      assertThat(query(p, cc, "b")).as("b on %s", p.name()).isEqualTo("208");
    }
    assertSameChain(net.peers());
  }

  @Test
  void twoBackupsDownNothingCommitsAndNothingIsLostThenBothReturn() {
    PeerNetwork net = kit.network(spec4());
    String cc = deploy(net.peer(0), net.peers());
    long height = net.peer(0).rest().height();
    net.kill(1);
    net.kill(2);
    String pending = invoke(net.peer(0), cc); // accepted: its txid is returned
    String pending2 = invoke(net.peer(3), cc);
    // As the original's bddtest: for 5 s nothing may commit (a negative can only be watched for a while)
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < end) {
      assertThat(net.peer(0).rest().height()).as("vp0's height without a quorum").isEqualTo(height);
      assertThat(net.peer(3).rest().height()).as("vp3's height without a quorum").isEqualTo(height);
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
    }

    net.restart(1);
    net.restart(2);
    awaitCommitted(net.peers(), List.of(pending, pending2));
    awaitCommitted(net.peers(), List.of(invoke(net.peer(1), cc)));
    for (LocalPeer p : net.peers()) {
      assertThat(query(p, cc, "a")).as("a on %s", p.name()).isEqualTo("97");
    }
    assertSameChain(net.peers());
  }

  @Test
  void thePrimaryKilledTheOthersChangeViewAndItRejoinsWhenRestarted() {
    PeerNetwork net = kit.network(spec4());
    String cc = deploy(net.peer(1), net.peers());
    net.kill(0); // the primary of view 0
    List<LocalPeer> backups = List.of(net.peer(1), net.peer(2), net.peer(3));
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      txids.add(invoke(net.peer(1 + i), cc));
    }
    awaitCommitted(backups, txids);

    net.restart(0);
    String throughOldPrimary = invoke(net.peer(0), cc);
    awaitCommitted(net.peers(), List.of(throughOldPrimary));
    awaitSameHead(net.peers(), "vp0 in step after rejoining", Await.PATIENCE);
    for (LocalPeer p : net.peers()) {
      assertThat(query(p, cc, "a")).as("a on %s", p.name()).isEqualTo("96");
    }
    assertSameChain(net.peers());
  }

  @Test
  void aByzantineReplicaDoesNotStopTheOthersAgreeing() {
    PeerNetwork net = kit.network(spec4().withPeerEnv(
        i -> i == 3 ? Map.of("CORE_PBFT_GENERAL_BYZANTINE", "true") : Map.of()));
    String cc = deploy(net.peer(0), net.peers().subList(0, 3));
    List<LocalPeer> honest = net.peers().subList(0, 3);
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      txids.add(invoke(net.peer(i % 4), cc));
    }
    awaitCommitted(honest, txids);
    for (LocalPeer p : honest) {
      assertThat(query(p, cc, "a")).as("a on %s", p.name()).isEqualTo("88");
    }
    assertSameChain(honest);
    // every block vp3 holds is theirs
    RestClient vp3 = net.peer(3).rest();
    long h = vp3.height();
    for (long n = 1; n < h; n++) {
      assertThat(hashed(vp3, n)).as("vp3's block %d", n).isEqualTo(hashed(net.peer(0).rest(), n));
    }
  }

  @Test
  void aNonValidatingPeerForwardsToAValidatorAndFailsOverWhenItDies() {
    PeerNetwork net = kit.network(spec4());
    String cc = deploy(net.peer(0), net.peers());
    LocalPeer nvp = kit.peer(kit.env("nvp0")
        .with("CORE_PEER_ID", "nvp0")
        .with("CORE_PEER_VALIDATOR_ENABLED", "false")
        .with("CORE_PEER_DISCOVERY_ROOTNODE", net.peer(0).grpc().toString()));
    nvp.await("the non-validating peer connected to the four", () -> nvp.rest().get("/network/peers").json()
        .get("peers").size() == 5);
    awaitCommitted(net.peers(), List.of(invoke(nvp, cc)));
    net.kill(0);
    List<LocalPeer> alive = net.peers().subList(1, 4);
    String after = Await.result("an invoke through the non-validating peer once vp0 is gone", Await.PATIENCE,
        () -> {
          JsonNode answer = nvp.rest().rpc("invoke", spec(byName(cc), "move", "a", "b", "1"), "1").json();
          return answer.has("result") ? answer.at("/result/message").asText() : null;
        });
    awaitCommitted(alive, List.of(after));
    assertThat(query(net.peer(1), cc, "a")).isEqualTo("98");
  }

  // ------------------------------------------------------------------ helpers

  /** Deploys example02 (a=100, b=200) through {@code via} and waits until {@code on} hold it. */
  static String deploy(LocalPeer via, List<LocalPeer> on) {
    JsonNode answer = via.rest().rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1").json();
    assertThat(answer.has("result")).as("deploy answered %s", answer).isTrue();
    String name = answer.at("/result/message").asText();
    awaitCommitted(on, List.of(name));
    return name;
  }

  static String invoke(LocalPeer via, String cc) {
    JsonNode answer = via.rest().rpc("invoke", spec(byName(cc), "move", "a", "b", "1"), "1").json();
    assertThat(answer.has("result")).as("invoke through %s answered %s", via.name(), answer).isTrue();
    return answer.at("/result/message").asText();
  }

  static String query(LocalPeer via, String cc, String key) {
    JsonNode answer = via.rest().rpc("query", spec(byName(cc), "query", key), "1").json();
    assertThat(answer.has("result")).as("query on %s answered %s", via.name(), answer).isTrue();
    return answer.at("/result/message").asText();
  }

  static void awaitCommitted(List<LocalPeer> peers, List<String> txids) {
    for (LocalPeer p : peers) {
      for (String txid : txids) {
        p.await(txid + " committed on " + p.name(), () -> p.rest().get("/transactions/" + txid).status() == 200);
      }
    }
  }

  /** Within {@link #CATCH_UP}: the same head everywhere and {@code back} answering queries again. */
  static void awaitInStep(List<LocalPeer> peers, LocalPeer back, String cc, String what) {
    long start = System.nanoTime();
    awaitSameHead(peers, what + " (same head)", CATCH_UP);
    Duration left = CATCH_UP.minusNanos(System.nanoTime() - start);
    Await.until(what + " (answers queries)", left.isNegative() ? Duration.ZERO : left, () -> back.rest()
        .rpc("query", spec(byName(cc), "query", "a"), "1").json().has("result"));
    System.out.printf("%s: %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
  }

  /** Same height and head hash everywhere within {@code timeout}. */
  static void awaitSameHead(List<LocalPeer> peers, String what, Duration timeout) {
    Await.until(what, timeout, () -> {
      String first = null;
      for (LocalPeer p : peers) {
        String chain = p.rest().get("/chain").body();
        if (first == null) {
          first = chain;
        } else if (!first.equals(chain)) {
          return false;
        }
      }
      return true;
    });
  }

  /** Every block, as hashed (without nonHashData), equal on all peers. */
  static void assertSameChain(List<LocalPeer> peers) {
    awaitSameHead(peers, "the same head everywhere", Await.PATIENCE);
    RestClient first = peers.get(0).rest();
    long height = first.height();
    for (long n = 1; n < height; n++) {
      JsonNode block = hashed(first, n);
      assertThat(block.get("consensusMetadata")).as("block %d carries its PBFT sequence number", n).isNotNull();
      for (LocalPeer p : peers.subList(1, peers.size())) {
        assertThat(hashed(p.rest(), n)).as("block %d on %s", n, p.name()).isEqualTo(block);
      }
    }
  }

  static JsonNode hashed(RestClient rest, long n) {
    JsonNode block = rest.get("/chain/blocks/" + n).json().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) block).remove("nonHashData");
    return block;
  }
}
