package org.jpeer.peer.network;

import java.time.Duration;
import java.util.List;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.config.PeerSettings;
import org.jpeer.config.SyncSettings;

/**
 * What the peer network is configured with.
 *
 * @param peerId {@code peer.id}: this peer's PeerID name
 * @param validator {@code peer.validator.enabled}: advertised as VALIDATOR or NON_VALIDATOR
 * @param rootNodes {@code peer.discovery.rootnode}
 * @param discoveryPeriod {@code peer.discovery.period}: DISC_GET_PEERS interval
 * @param persist {@code peer.discovery.persist}: keep the known addresses in the ledger
 * @param touchPeriod {@code peer.discovery.touchPeriod}: re-dial interval
 * @param touchMaxNodes {@code peer.discovery.touchMaxNodes}: most addresses re-dialled per round
 * @param bufferSize {@code peer.validator.consensus.buffersize}: CONSENSUS messages read from one
 *     stream and not yet taken by the consenter before that stream stops being read; also the
 *     outbound queue per destination
 * @param sync {@code peer.sync.*} and {@code statetransfer.*}
 * @param maxMessageBytes the largest message accepted on a stream this peer dials (the server's
 *     limit covers streams dialled to it)
 * @param helloTimeout how long an accepted stream may stay silent before its DISC_HELLO; then it
 *     is closed
 */
public record NetworkOptions(
    String peerId,
    boolean validator,
    List<HostPort> rootNodes,
    Duration discoveryPeriod,
    boolean persist,
    Duration touchPeriod,
    int touchMaxNodes,
    int bufferSize,
    SyncSettings sync,
    int maxMessageBytes,
    Duration helloTimeout) {

  public NetworkOptions {
    rootNodes = List.copyOf(rootNodes);
    if (peerId.isBlank()) {
      throw new IllegalArgumentException("peer.id must not be blank");
    }
    if (bufferSize < 1 || maxMessageBytes < 1 || touchMaxNodes < 0) {
      throw new IllegalArgumentException("buffer size and message size must be positive");
    }
  }

  public static NetworkOptions from(JpeerConfig config, int maxMessageBytes) {
    PeerSettings p = config.peer();
    return new NetworkOptions(p.id(), p.validatorEnabled(), p.discoveryRootNodes(), p.discoveryPeriod(),
        p.discoveryPersist(), p.discoveryTouchPeriod(), p.discoveryTouchMaxNodes(), p.consensusBufferSize(),
        config.sync(), maxMessageBytes, Duration.ofSeconds(30));
  }

  public NetworkOptions withHelloTimeout(Duration timeout) {
    return new NetworkOptions(peerId, validator, rootNodes, discoveryPeriod, persist, touchPeriod, touchMaxNodes,
        bufferSize, sync, maxMessageBytes, timeout);
  }
}
