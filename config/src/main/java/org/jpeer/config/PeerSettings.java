package org.jpeer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code peer.*} keys the peer uses.
 *
 * @param discoveryRootNode {@code peer.discovery.rootnode} as written
 * @param discoveryRootNodes the same, parsed: the comma-separated addresses a peer dials at start
 * @param consensusAdmissionWait {@code peer.validator.consensus.admissionwait} (jpeer): how long a deploy or
 *     invoke waits for room in a full consensus queue before it is refused as busy
 * @param maxMessageBytes {@code peer.maxMessageSize} (jpeer): the largest REST body, and twice the largest
 *     arguments of a transaction or query
 */
public record PeerSettings(
    String id,
    String networkId,
    HostPort listenAddress,
    HostPort address,
    boolean addressAutoDetect,
    Path fileSystemPath,
    boolean validatorEnabled,
    ConsensusPlugin consensusPlugin,
    int consensusBufferSize,
    Duration consensusAdmissionWait,
    HostPort eventsAddress,
    int eventsBufferSize,
    int eventsTimeoutMillis,
    int maxMessageBytes,
    boolean tlsEnabled,
    String discoveryRootNode,
    List<HostPort> discoveryRootNodes,
    Duration discoveryPeriod,
    boolean discoveryPersist,
    Duration discoveryTouchPeriod,
    int discoveryTouchMaxNodes) {

  public PeerSettings {
    discoveryRootNodes = List.copyOf(discoveryRootNodes);
  }

  /** At most 10 s: a held request holds a REST or gRPC thread. */
  private static Duration admissionWait(Settings s) {
    Duration d = s.duration("peer.validator.consensus.admissionwait", null);
    if (d.compareTo(Duration.ofSeconds(10)) > 0) {
      throw ConfigException.invalid(s.value("peer.validator.consensus.admissionwait"),
          "expected at most 10s: a request held for room holds a thread");
    }
    return d;
  }

  static PeerSettings from(Settings s) {
    return new PeerSettings(
        s.nonBlank("peer.id"),
        s.string("peer.networkId").trim(),
        s.address("peer.listenAddress"),
        s.address("peer.address"),
        s.bool("peer.addressAutoDetect"),
        s.path("peer.fileSystemPath"),
        s.bool("peer.validator.enabled"),
        s.oneOf("peer.validator.consensus.plugin", ConsensusPlugin.class),
        s.intIn("peer.validator.consensus.buffersize", 1, 10_000_000),
        admissionWait(s),
        s.address("peer.validator.events.address"),
        s.intIn("peer.validator.events.buffersize", 1, 10_000_000),
        s.intIn("peer.validator.events.timeout", -1_000_000, 3_600_000),
        s.intIn("peer.maxMessageSize", 256 * 1024, 100 * 1024 * 1024),
        s.bool("peer.tls.enabled"),
        s.string("peer.discovery.rootnode").trim(),
        s.addresses("peer.discovery.rootnode"),
        // the original's tickers panic on a zero period
        s.positiveDuration("peer.discovery.period"),
        s.bool("peer.discovery.persist"),
        s.positiveDuration("peer.discovery.touchPeriod"),
        s.intIn("peer.discovery.touchMaxNodes", 0, 1_000_000));
  }
}
