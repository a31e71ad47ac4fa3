package org.jpeer.events;

/**
 * The hub's limits.
 *
 * @param bufferSize {@code peer.validator.events.buffersize}: how many blocks (each with its chaincode and
 *     rejection events) the hub keeps in memory, and how far behind the newest block a live consumer may be
 * @param timeoutMillis {@code peer.validator.events.timeout}: what happens to a live consumer more than
 *     {@code bufferSize} blocks behind: below 0 it is disconnected at once; 0: never disconnected, it reads
 *     from the ledger until it catches up; above 0: disconnected once it has been that far behind for
 *     longer than this many milliseconds, reading from the ledger meanwhile
 * @param maxConsumers how many subscriptions may be open at once
 * @param maxInterests how many interests one subscription may register
 * @param heartbeatMillis how often a sink that sent nothing is given a heartbeat
 */
public record HubSettings(int bufferSize, int timeoutMillis, int maxConsumers, int maxInterests, long heartbeatMillis) {

  public HubSettings {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("peer.validator.events.buffersize must be at least 1, got " + bufferSize);
    }
    if (maxConsumers < 1 || maxInterests < 1 || heartbeatMillis < 1) {
      throw new IllegalArgumentException("maxConsumers, maxInterests and heartbeatMillis must be positive");
    }
  }

  /** The original's defaults (buffersize 100, timeout 10 ms), 1,000 consumers of 1,000 interests, 15 s heartbeats. */
  public static HubSettings of(int bufferSize, int timeoutMillis) {
    return new HubSettings(bufferSize, timeoutMillis, 1000, 1000, 15_000);
  }
}
