package org.jpeer.crypto.client;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A member's unused TCerts: each transaction takes one, never to be handed out again; an empty pool
 * fetches the next batch. Thread-safe; a fetch holds the pool, so concurrent transactions of one
 * member wait for one batch instead of each asking the TCA for its own.
 */
public final class TCertPool {
  private final MembershipClient client;
  private final MemberCredentials member;
  private final int batchSize;
  private final Deque<TCertKey> unused = new ArrayDeque<>();

  public TCertPool(MembershipClient client, MemberCredentials member, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("security.tcert.batch.size must be at least 1, got " + batchSize);
    }
    this.client = client;
    this.member = member;
    this.batchSize = batchSize;
  }

  public MemberCredentials member() {
    return member;
  }

  public synchronized TCertKey take() throws EnrolmentException {
    if (unused.isEmpty()) {
      unused.addAll(client.tcerts(member, batchSize));
    }
    return unused.removeFirst();
  }
}
