package org.jpeer.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * N validating peers as separate processes on 127.0.0.1: {@code vp0 .. vp(N-1)}, each with its
 * {@code CORE_PEER_ID}, its own data folder and free ports; every peer but vp0 names vp0 as its
 * discovery root node. One peer can be killed and restarted on its data, or cut off by freezing
 * it (SIGSTOP) and let back (SIGCONT).
 */
public final class PeerNetwork implements AutoCloseable {

  public enum Consensus { NOOPS, PBFT }

  /**
   * What to start: the size, the consenter, variables for every peer and per peer (applied last,
   * so a test can override anything for one peer, e.g. {@code CORE_PBFT_GENERAL_BYZANTINE=true}).
   */
  public record Spec(int size, Consensus consensus, Map<String, String> common,
      IntFunction<Map<String, String>> perPeer) {
    public Spec {
      if (size < 1) {
        throw new IllegalArgumentException("a network has at least one peer, not " + size);
      }
      if (consensus == Consensus.PBFT && size < 4) {
        throw new IllegalArgumentException("PBFT needs N >= 3f+1 with f >= 1, so at least 4 peers, not " + size);
      }
      common = Map.copyOf(common);
    }

    public static Spec noops(int size) {
      return new Spec(size, Consensus.NOOPS, Map.of(), i -> Map.of());
    }

    /** {@code CORE_PBFT_GENERAL_N} = size and {@code CORE_PBFT_GENERAL_F} = (size - 1) / 3. */
    public static Spec pbft(int size) {
      return new Spec(size, Consensus.PBFT, Map.of(), i -> Map.of());
    }

    public Spec withEnv(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(common);
      more.put(name, value);
      return new Spec(size, consensus, more, perPeer);
    }

    public Spec withPeerEnv(IntFunction<Map<String, String>> overrides) {
      return new Spec(size, consensus, common, overrides);
    }

    /** The environment of peer {@code i}, given vp0's gRPC address (null while vp0 is not up). */
    PeerEnv env(int i, Path dir, String rootNode) {
      PeerEnv env = PeerEnv.forHome(dir.resolve(name(i)))
          .with("CORE_PEER_ID", name(i))
          .with("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", consensus.name().toLowerCase());
      if (consensus == Consensus.PBFT) {
        env = env.with("CORE_PBFT_GENERAL_N", Integer.toString(size))
            .with("CORE_PBFT_GENERAL_F", Integer.toString((size - 1) / 3));
      }
      if (rootNode != null) {
        env = env.with("CORE_PEER_DISCOVERY_ROOTNODE", rootNode);
      }
      return env.with(common).with(perPeer.apply(i));
    }

    static String name(int i) {
      return "vp" + i;
    }
  }

  private final List<LocalPeer> peers;

  private PeerNetwork(List<LocalPeer> peers) {
    this.peers = List.copyOf(peers);
  }

  /** Starts vp0, then all the others at once (they need vp0's address); returns when all are ready. */
  public static PeerNetwork start(Spec spec, PeerLauncher launcher, Path dir, Path logDir) {
    List<LocalPeer> started = new ArrayList<>();
    try {
      LocalPeer root = LocalPeer.start(Spec.name(0), launcher, spec.env(0, dir, null), logDir);
      started.add(root);
      String rootNode = root.grpc().toString();
      for (int i = 1; i < spec.size(); i++) {
        started.add(LocalPeer.launch(Spec.name(i), launcher, spec.env(i, dir, rootNode), logDir));
      }
      for (LocalPeer p : started.subList(1, started.size())) {
        p.awaitReady();
      }
      return new PeerNetwork(started);
    } catch (RuntimeException | Error e) {
      started.forEach(LocalPeer::close);
      throw e;
    }
  }

  public int size() {
    return peers.size();
  }

  /** Peer {@code vp<i>}. */
  public LocalPeer peer(int i) {
    return peers.get(i);
  }

  public List<LocalPeer> peers() {
    return peers;
  }

  /** Crashes one peer (SIGKILL); its data stays for {@link #restart}. */
  public void kill(int i) {
    peer(i).kill();
  }

  /** Starts a stopped or killed peer again on its data and its former ports. */
  public void restart(int i) {
    peer(i).restart();
  }

  /** Cuts one peer off: frozen by SIGSTOP, it neither sends nor answers. */
  public void partition(int i) {
    peer(i).pause();
  }

  /** Lets a partitioned peer back (SIGCONT). */
  public void heal(int i) {
    peer(i).resume();
  }

  public String output() {
    StringBuilder out = new StringBuilder();
    peers.forEach(p -> out.append(p.output()));
    return out.toString();
  }

  @Override
  public void close() {
    peers.forEach(LocalPeer::close);
  }
}
