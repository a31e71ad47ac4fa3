package org.jpeer.bench.load;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks the blocks the peer commits (GET /chain, /chain/blocks/{n}) and remembers, for every
 * transaction, its timestamp and its block's commit timestamp, and for every block its commit
 * timestamp (how the event consumers' blocks are told apart: the Block proto has no number).
 */
final class ChainWatcher implements AutoCloseable {

  /** Nanoseconds since the epoch of the transaction and of its block's commit. */
  record Commit(long txNanos, long commitNanos) {}

  private final HttpConnection http;
  private final Map<String, Commit> commits = new ConcurrentHashMap<>();
  private final Map<Long, Long> blockCommits = new ConcurrentHashMap<>();
  /** Per block read: its commit time and how many transactions it holds (the per-second curve). */
  private final java.util.List<long[]> blockSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile long nextBlock;
  private volatile long lastProgressNanos = System.nanoTime();

  ChainWatcher(URI url) throws IOException {
    http = new HttpConnection(url);
    nextBlock = height();
  }

  long height() throws IOException {
    HttpConnection.Response r = http.get("/chain");
    if (r.status() != 200) {
      throw new IOException("GET /chain answered " + r.status() + ": " + r.body());
    }
    return Json.number(Json.object(Json.parse(r.body())).get("height"));
  }

  /** Reads every block committed since the last call. */
  void poll() throws IOException {
    long h = height();
    for (long n = nextBlock; n < h; n++) {
      HttpConnection.Response r = http.get("/chain/blocks/" + n);
      if (r.status() == 404) {
        // a peer catching up by state transfer stores the fetched blocks from the top down: the
        // height is there before the blocks below it; read on at the next poll
        return;
      }
      if (r.status() != 200) {
        throw new IOException("GET /chain/blocks/" + n + " answered " + r.status() + ": " + r.body());
      }
      Map<String, Object> block = Json.object(Json.parse(r.body()));
      // A block this peer got by state transfer (it fell behind) may carry no commit time of its own:
      // then the moment it is seen here stands in for it.
      Object nonHash = block.get("nonHashData");
      Object committedAt = nonHash == null ? null : Json.object(nonHash).get("localLedgerCommitTimestamp");
      long commit = committedAt != null ? nanos(Json.object(committedAt)) : LoadGenerator.nowNanos();
      Object txs = block.get("transactions");
      for (Object t : txs == null ? java.util.List.of() : Json.array(txs)) {
        Map<String, Object> tx = Json.object(t);
        commits.put(String.valueOf(tx.get("txid")), new Commit(nanos(Json.object(tx.get("timestamp"))), commit));
      }
      if (committedAt != null) {
        blockCommits.put(n, commit);
      }
      blockSizes.add(new long[] {commit, txs == null ? 0 : Json.array(txs).size()});
      nextBlock = n + 1;
      lastProgressNanos = System.nanoTime();
    }
  }

  Commit commit(String txid) {
    return commits.get(txid);
  }

  /** Block {@code number}'s localLedgerCommitTimestamp in nanoseconds since the epoch, or null if not read (or none). */
  Long blockCommitNanos(long number) {
    return blockCommits.get(number);
  }

  /**
   * Transactions committed in each whole second from {@code fromNanos} (epoch nanoseconds) for
   * {@code seconds} seconds, by their block's commit time.
   */
  long[] committedPerSecond(long fromNanos, int seconds) {
    long[] perSecond = new long[Math.max(0, seconds)];
    for (long[] b : blockSizes) {
      long second = Math.floorDiv(b[0] - fromNanos, 1_000_000_000L);
      if (second >= 0 && second < perSecond.length) {
        perSecond[(int) second] += b[1];
      }
    }
    return perSecond;
  }

  /** The first block not read yet: the height the last poll saw. */
  long nextBlock() {
    return nextBlock;
  }

  long nanosSinceProgress() {
    return System.nanoTime() - lastProgressNanos;
  }

  private static long nanos(Map<String, Object> ts) {
    return Json.number(ts.get("seconds")) * 1_000_000_000L + Json.number(ts.get("nanos"));
  }

  @Override
  public void close() {
    http.close();
  }
}
