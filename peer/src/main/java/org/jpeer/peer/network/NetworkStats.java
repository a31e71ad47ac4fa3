package org.jpeer.peer.network;

/**
 * Counters of a {@link PeerNetwork} since it started (for operators and tests).
 *
 * @param malformed inbound messages whose payload did not decode
 * @param unexpected inbound messages of a type not expected in the stream's state (before or after
 *     DISC_HELLO), including unknown type numbers
 * @param consensusBeforeHello CONSENSUS messages refused because the stream had not said who it is
 * @param outboundDropped messages not sent because the destination's queue was full
 * @param duplicatesRefused streams closed because their peer was already connected
 * @param staleSyncReplies state-transfer replies that matched no open request
 */
public record NetworkStats(
    long malformed,
    long unexpected,
    long consensusBeforeHello,
    long outboundDropped,
    long duplicatesRefused,
    long staleSyncReplies) {}
