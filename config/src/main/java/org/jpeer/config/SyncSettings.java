package org.jpeer.config;

import java.time.Duration;

/**
 * The state-transfer keys: {@code peer.sync.*} (the buffers of replies a requesting peer keeps, and
 * the most blocks or deltas it asks for at once) and {@code statetransfer.*}. As in the original,
 * every count must be at least 1; durations must be longer than zero.
 *
 * @param blocksChannelSize {@code peer.sync.blocks.channelSize}: replies buffered per block request;
 *     a request asks for at most this many blocks plus one
 * @param deltasChannelSize {@code peer.sync.state.deltas.channelSize}: the same for state deltas
 * @param snapshotChannelSize {@code peer.sync.state.snapshot.channelSize}: snapshot pieces buffered
 * @param snapshotWriteTimeout {@code peer.sync.state.snapshot.writeTimeout}: how long a serving peer
 *     waits for room to send the next reply before it gives the request up
 * @param recoverDamage {@code statetransfer.recoverdamage}: a stored block that does not hash as the
 *     chain says may be overwritten
 * @param blocksPerRequest {@code statetransfer.blocksperrequest}: blocks checked per step when the
 *     chain below a transfer is verified
 * @param maxDeltas {@code statetransfer.maxdeltas}: above this many blocks behind, take a snapshot
 * @param singleBlockTimeout {@code statetransfer.timeout.singleblock}
 * @param singleStateDeltaTimeout {@code statetransfer.timeout.singlestatedelta}
 * @param fullStateTimeout {@code statetransfer.timeout.fullstate}
 */
public record SyncSettings(
    int blocksChannelSize,
    int deltasChannelSize,
    int snapshotChannelSize,
    Duration snapshotWriteTimeout,
    boolean recoverDamage,
    int blocksPerRequest,
    int maxDeltas,
    Duration singleBlockTimeout,
    Duration singleStateDeltaTimeout,
    Duration fullStateTimeout) {

  /** The original's defaults from {@code peer/core.yaml}. */
  public static SyncSettings defaults() {
    return new SyncSettings(10, 20, 50, Duration.ofSeconds(60), true, 20, 200, Duration.ofSeconds(2),
        Duration.ofSeconds(2), Duration.ofSeconds(60));
  }

  static SyncSettings from(Settings s) {
    return new SyncSettings(
        s.intIn("peer.sync.blocks.channelSize", 1, 100_000),
        s.intIn("peer.sync.state.deltas.channelSize", 1, 100_000),
        s.intIn("peer.sync.state.snapshot.channelSize", 1, 100_000),
        s.positiveDuration("peer.sync.state.snapshot.writeTimeout"),
        s.bool("statetransfer.recoverdamage"),
        s.intIn("statetransfer.blocksperrequest", 1, 1_000_000),
        s.intIn("statetransfer.maxdeltas", 1, Integer.MAX_VALUE),
        s.positiveDuration("statetransfer.timeout.singleblock"),
        s.positiveDuration("statetransfer.timeout.singlestatedelta"),
        s.positiveDuration("statetransfer.timeout.fullstate"));
  }
}
