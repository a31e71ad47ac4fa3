package org.jpeer.crypto.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A member's unused TCerts: each transaction takes one, never to be handed out again. When the pool
 * falls to half a batch it fetches the next batch in the background, so that a member's steady
 * stream of transactions does not stop while the TCA derives and signs a batch (measured: without
 * it the secured throughput moved in steps of one batch). Only one fetch is ever in flight, so
 * concurrent transactions of one member wait for one batch instead of each asking for its own.
 * Thread-safe; nothing is fetched or waited for under the pool's lock.
 */
public final class TCertPool {
  /** Where batches come from: the TCA, through {@link MembershipClient#tcerts}. */
  @FunctionalInterface
  public interface Batches {
    List<TCertKey> next(int count) throws EnrolmentException;
  }

  private final Batches source;
  private final MemberCredentials member;
  private final int batchSize;
  private final int lowWater;
  private final Executor fetcher;
  private final Deque<TCertKey> unused = new ArrayDeque<>();
  private CompletableFuture<Void> inFlight; // guarded by this

  /**
   * @param fetcher where background fetches run; a fetch blocks its thread for one TCA round trip
   */
  public TCertPool(MembershipClient client, MemberCredentials member, int batchSize, Executor fetcher) {
    this(member, count -> client.tcerts(member, count), batchSize, fetcher);
  }

  public TCertPool(MemberCredentials member, Batches source, int batchSize, Executor fetcher) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("security.tcert.batch.size must be at least 1, got " + batchSize);
    }
    this.source = source;
    this.member = member;
    this.batchSize = batchSize;
    this.lowWater = batchSize / 2;
    this.fetcher = fetcher;
  }

  public MemberCredentials member() {
    return member;
  }

  /**
   * An unused TCert, waiting for the fetch in flight when there is none.
   *
   * @throws EnrolmentException when the TCA refuses or cannot be reached; the next take asks again
   */
  public TCertKey take() throws EnrolmentException {
    while (true) {
      CompletableFuture<Void> fetch;
      synchronized (this) {
        TCertKey next = unused.pollFirst();
        if (next != null) {
          if (unused.size() <= lowWater) {
            startFetch();
          }
          return next;
        }
        fetch = startFetch();
      }
      try {
        fetch.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof EnrolmentException refused) {
          throw refused;
        }
        throw e;
      }
    }
  }

  /** The fetch in flight, started unless there is one; called holding the lock. */
  private CompletableFuture<Void> startFetch() {
    if (inFlight == null) {
      CompletableFuture<Void> fetch = new CompletableFuture<>();
      inFlight = fetch;
      try {
        fetcher.execute(() -> fetch(fetch));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        inFlight = null; // shutting down: fail this take rather than wait for nothing
        fetch.completeExceptionally(new EnrolmentException("no TCerts: the peer is shutting down", e));
        return fetch;
      }
    }
    return inFlight;
  }

  private void fetch(CompletableFuture<Void> fetch) {
    List<TCertKey> batch = null;
    Throwable failure = null;
    try {
      batch = source.next(batchSize);
    } catch (EnrolmentException | RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      if (batch != null) {
        unused.addAll(batch);
      }
      inFlight = null;
    }
    if (failure != null) {
      fetch.completeExceptionally(failure);
    } else {
      fetch.complete(null);
    }
  }
}
