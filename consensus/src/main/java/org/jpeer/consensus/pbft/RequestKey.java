package org.jpeer.consensus.pbft;

import org.jpeer.protos.pbft.Request;

/**
 * Identifies a request by its origin replica and the timestamp the origin gave it. A correct origin
 * gives its requests strictly increasing timestamps, so this is unique without hashing the request
 * (the original keys its request store by a hash of the whole request).
 */
public record RequestKey(long replica, long seconds, int nanos) implements Comparable<RequestKey> {

  public static RequestKey of(Request r) {
    return new RequestKey(r.getReplicaId(), r.getTimestamp().getSeconds(), r.getTimestamp().getNanos());
  }

  /** The key of a persisted local request: {@code <seconds>.<nanos>} (the replica is implied). */
  String storeSuffix() {
    return seconds + "." + nanos;
  }

  @Override
  public int compareTo(RequestKey o) {
    int c = Long.compare(replica, o.replica);
    if (c != 0) {
      return c;
    }
    c = Long.compare(seconds, o.seconds);
    return c != 0 ? c : Integer.compare(nanos, o.nanos);
  }
}
