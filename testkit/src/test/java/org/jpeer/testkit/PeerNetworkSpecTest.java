package org.jpeer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment each peer of a network gets (starting the processes is PeerNetworkTest's, in peer/). */
class PeerNetworkSpecTest {
  private static final Path DIR = Path.of("/tmp/net");

  @Test
  void pbftPeersGetTheirIdTheSizeAndVp0AsRootNodeAndOverridesComeLast() {
    PeerNetwork.Spec spec = PeerNetwork.Spec.pbft(4)
        .withEnv("CORE_PBFT_GENERAL_K", "2")
        .withPeerEnv(i -> i == 3 ? Map.of("CORE_PBFT_GENERAL_BYZANTINE", "true", "CORE_PBFT_GENERAL_K", "5") : Map.of());
    PeerEnv vp0 = spec.env(0, DIR, null);
    PeerEnv vp3 = spec.env(3, DIR, "127.0.0.1:4711");

    assertThat(vp0.get("CORE_PEER_ID")).isEqualTo("vp0");
    assertThat(vp0.get("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN")).isEqualTo("pbft");
    assertThat(vp0.get("CORE_PBFT_GENERAL_N")).isEqualTo("4");
    assertThat(vp0.get("CORE_PBFT_GENERAL_F")).isEqualTo("1");
    assertThat(vp0.get("CORE_PEER_DISCOVERY_ROOTNODE")).isNull();
    assertThat(vp0.get("CORE_PBFT_GENERAL_K")).isEqualTo("2");
    assertThat(vp0.fileSystemPath()).isEqualTo(DIR.resolve("vp0/production"));
    assertThat(vp0.get("CORE_PEER_LISTENADDRESS")).isEqualTo("127.0.0.1:0");

    assertThat(vp3.get("CORE_PEER_ID")).isEqualTo("vp3");
    assertThat(vp3.get("CORE_PEER_DISCOVERY_ROOTNODE")).isEqualTo("127.0.0.1:4711");
    assertThat(vp3.get("CORE_PBFT_GENERAL_BYZANTINE")).isEqualTo("true");
    assertThat(vp3.get("CORE_PBFT_GENERAL_K")).as("per-peer overrides win").isEqualTo("5");
    assertThat(vp3.home()).isEqualTo(DIR.resolve("vp3"));
  }

  @Test
  void noopsNeedsNoPbftKeysAndPbftNeedsFourPeers() {
    PeerEnv vp1 = PeerNetwork.Spec.noops(2).env(1, DIR, "127.0.0.1:1");
    assertThat(vp1.get("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN")).isEqualTo("noops");
    assertThat(vp1.vars()).doesNotContainKey("CORE_PBFT_GENERAL_N");
    assertThat(PeerNetwork.Spec.pbft(7).env(0, DIR, null).get("CORE_PBFT_GENERAL_F")).isEqualTo("2");
    assertThatThrownBy(() -> PeerNetwork.Spec.pbft(3))
        .hasMessage("PBFT needs N >= 3f+1 with f >= 1, so at least 4 peers, not 3");
    assertThatThrownBy(() -> PeerNetwork.Spec.noops(0)).hasMessage("a network has at least one peer, not 0");
  }
}
