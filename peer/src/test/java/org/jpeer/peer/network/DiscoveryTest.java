package org.jpeer.peer.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.config.HostPort;
import org.jpeer.config.SyncSettings;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.PeersAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery between real network nodes: root node, DISC_PEERS, the persisted list, re-dialling. */
class DiscoveryTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private NetworkNode node(String id, List<HostPort> roots) throws Exception {
    NetworkNode n = NetworkNode.start(dir, id, roots, (m, s) -> {});
    open.add(n);
    return n;
  }

  @Test
  void aThirdPeerIsFoundThroughTheRootNodeAlone() throws Exception {
    NetworkNode vp0 = node("vp0", List.of());
    NetworkNode vp1 = node("vp1", List.of(vp0.address()));
    NetworkNode vp2 = node("vp2", List.of(vp0.address()));
    Await.until("everybody connected to everybody", () -> vp0.connectedIds().equals(List.of("vp1", "vp2"))
        && vp1.connectedIds().equals(List.of("vp0", "vp2")) && vp2.connectedIds().equals(List.of("vp0", "vp1")),
        () -> vp0.connectedIds() + " " + vp1.connectedIds() + " " + vp2.connectedIds());
    assertThat(vp1.network().connectedValidators()).containsExactlyInAnyOrder("vp0", "vp2");
    assertThat(vp1.network().peersWithSelf().get(0).getID().getName()).isEqualTo("vp1");
    // the list each keeps is the one the original persists
    Await.until("vp2's list persisted", () -> persisted(vp2.ledger).containsAll(
        List.of(vp0.address().toString(), vp1.address().toString())), () -> persisted(vp2.ledger));
  }

  private static List<String> persisted(PeerLedger ledger) {
    return ledger.persisted("discovery").<List<String>>map(b -> {
      try {
        return List.copyOf(PeersAddresses.parseFrom(b).getAddressesList());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }).orElse(List.of());
  }

  @Test
  void aRestartedPeerFindsTheOthersWithoutItsRootNode() throws Exception {
    NetworkNode vp0 = node("vp0", List.of());
    NetworkNode vp1 = node("vp1", List.of(vp0.address()));
    PeerLedger ledger2 = NetworkNode.openLedger(dir.resolve("vp2"));
    open.add(ledger2);
    NetworkNode vp2 = NetworkNode.start(ledger2, false, NetworkNode.options("vp2", List.of(vp0.address())),
        (m, s) -> {}, 0);
    Await.until("vp2 connected to both", () -> vp2.connectedIds().equals(List.of("vp0", "vp1")));
    Await.until("vp2's list persisted", () -> persisted(ledger2).size() >= 2);
    vp2.close();
    Await.until("vp2 gone", () -> vp0.connectedIds().equals(List.of("vp1")) && vp1.connectedIds().equals(List.of("vp0")));

    // same ledger, no root node: the persisted list is enough
    NetworkNode again = NetworkNode.start(ledger2, false, NetworkNode.options("vp2", List.of()), (m, s) -> {}, 0);
    open.add(again);
    Await.until("vp2 back with both", () -> again.connectedIds().equals(List.of("vp0", "vp1"))
        && vp0.connectedIds().equals(List.of("vp1", "vp2")) && vp1.connectedIds().equals(List.of("vp0", "vp2")));
  }

  @Test
  void withoutPersistenceNothingIsStored() throws Exception {
    NetworkNode vp0 = node("vp0", List.of());
    NetworkOptions o = NetworkNode.options("vp1", List.of(vp0.address()));
    NetworkOptions volatileOptions = new NetworkOptions("vp1", true, o.rootNodes(), o.discoveryPeriod(), false,
        o.touchPeriod(), o.touchMaxNodes(), o.bufferSize(), o.sync(), o.maxMessageBytes(), o.helloTimeout());
    NetworkNode vp1 = NetworkNode.start(NetworkNode.openLedger(dir.resolve("vp1")), true, volatileOptions,
        (m, s) -> {}, 0);
    open.add(vp1);
    Await.until("connected", () -> vp1.connectedIds().equals(List.of("vp0")));
    assertThat(vp1.ledger.persisted("discovery")).isEmpty();
  }

  @Test
  void aPeerThatRestartsOnItsAddressIsDialledAgain() throws Exception {
    NetworkNode vp0 = node("vp0", List.of());
    PeerLedger ledger1 = NetworkNode.openLedger(dir.resolve("vp1"));
    open.add(ledger1);
    NetworkOptions noMemory = new NetworkOptions("vp1", true, List.of(vp0.address()), Duration.ofMillis(200), false,
        Duration.ofMillis(200), 100, 1000, SyncSettings.defaults(), NetworkNode.MAX_MESSAGE_BYTES,
        Duration.ofSeconds(30));
    NetworkNode vp1 = NetworkNode.start(ledger1, false, noMemory, (m, s) -> {}, 0);
    int port = vp1.address().port();
    Await.until("connected", () -> vp0.connectedIds().equals(List.of("vp1")));
    vp1.close();
    Await.until("vp0 sees vp1 gone", () -> vp0.connectedIds().isEmpty());

    // back on the same address, knowing nobody (no root node, nothing persisted): vp0 dials it
    NetworkOptions alone = new NetworkOptions("vp1", true, List.of(), Duration.ofMillis(200), false,
        Duration.ofMillis(200), 100, 1000, SyncSettings.defaults(), NetworkNode.MAX_MESSAGE_BYTES,
        Duration.ofSeconds(30));
    NetworkNode back = NetworkNode.start(ledger1, false, alone, (m, s) -> {}, port);
    open.add(back);
    Await.until("vp0 re-dialled vp1", () -> vp0.connectedIds().equals(List.of("vp1"))
        && back.connectedIds().equals(List.of("vp0")));
    Await.until("vp0's listener told", () -> vp0.events.equals(List.of("+vp1", "-vp1", "+vp1")),
        () -> vp0.events);
  }
}
