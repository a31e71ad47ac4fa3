package org.jpeer.consensus.pbft;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The keys of recently executed requests, so that a request arriving again (a late broadcast, a
 * retransmission) is not batched a second time. Bounded: the oldest keys are forgotten. Forgetting is
 * safe because this is only an admission filter — a request that still gets batched twice is skipped
 * by the executor, which never executes a transaction already in the chain. The original instead
 * drops any request older than the last executed one of its origin, which loses requests that a
 * view change reordered.
 */
final class ExecutedRequests {

  private final int limit;
  private final LinkedHashSet<RequestKey> keys = new LinkedHashSet<>();

  ExecutedRequests(int limit) {
    this.limit = limit;
  }

  void add(RequestKey key) {
    if (keys.add(key) && keys.size() > limit) {
      Iterator<RequestKey> it = keys.iterator();
      it.next();
      it.remove();
    }
  }

  boolean contains(RequestKey key) {
    return keys.contains(key);
  }
}
