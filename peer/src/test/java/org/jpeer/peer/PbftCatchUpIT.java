package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.PbftNetworkIT.CATCH_UP;
import static org.jpeer.peer.PbftNetworkIT.assertSameChain;
import static org.jpeer.peer.PbftNetworkIT.awaitCommitted;
import static org.jpeer.peer.PbftNetworkIT.awaitInStep;
import static org.jpeer.peer.PbftNetworkIT.deploy;
import static org.jpeer.peer.PbftNetworkIT.invoke;
import static org.jpeer.peer.PbftNetworkIT.query;

import java.util.ArrayList;
import java.util.List;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerNetwork;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two {@link PbftNetworkIT} cases that check the catch-up target (a returning replica back in
 * step within {@link PbftNetworkIT#CATCH_UP} with no further traffic): in a class of their own,
 * which the build runs alone, because a second test's load on the two cores would skew the time.
 */
class PbftCatchUpIT {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void oneBackupKilledTheOthersGoOnAndItCatchesUpWithNoFurtherTraffic() {
    PeerNetwork net = kit.network(PbftNetworkIT.spec4());
    String cc = deploy(net.peer(0), net.peers());
    awaitCommitted(net.peers(), List.of(invoke(net.peer(1), cc)));
    net.kill(2);
    List<LocalPeer> alive = List.of(net.peer(0), net.peer(1), net.peer(3));
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      txids.add(invoke(net.peer(i % 2), cc));
    }
    awaitCommitted(alive, txids);
    assertThat(query(net.peer(3), cc, "a")).isEqualTo("93");

    net.restart(2);
    // no invoke from here on: vp2 must learn on its own that it is behind
    awaitInStep(net.peers(), net.peer(2), cc, "vp2 back in step " + CATCH_UP.toSeconds() + " s after its restart");
    assertThat(query(net.peer(2), cc, "a")).isEqualTo("93");
    assertSameChain(net.peers());
  }

  @Test
  void aPausedBackupCatchesUpWithNoFurtherTrafficWhenResumed() {
    PeerNetwork net = kit.network(PbftNetworkIT.spec4());
    String cc = deploy(net.peer(0), net.peers());
    net.partition(3); // SIGSTOP
    List<String> txids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      txids.add(invoke(net.peer(i % 3), cc));
    }
    awaitCommitted(List.of(net.peer(0), net.peer(1), net.peer(2)), txids);
    net.heal(3); // SIGCONT
    awaitInStep(net.peers(), net.peer(3), cc, "vp3 back in step " + CATCH_UP.toSeconds() + " s after SIGCONT");
    assertThat(query(net.peer(3), cc, "a")).isEqualTo("94");
    assertSameChain(net.peers());
  }
}
