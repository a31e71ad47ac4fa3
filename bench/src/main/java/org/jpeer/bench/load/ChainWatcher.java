package org.jpeer.bench.load;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks the blocks the peer commits (GET /chain, /chain/blocks/{n}) and remembers, for every
 * transaction, its timestamp and its block's commit timestamp.
 */
final class ChainWatcher implements AutoCloseable {

  /** Nanoseconds since the epoch of the transaction and of its block's commit. */
  record Commit(long txNanos, long commitNanos) {}

  private final HttpConnection http;
  private final Map<String, Commit> commits = new ConcurrentHashMap<>();
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
      if (r.status() != 200) {
        throw new IOException("GET /chain/blocks/" + n + " answered " + r.status() + ": " + r.body());
      }
      Map<String, Object> block = Json.object(Json.parse(r.body()));
      long commit = nanos(Json.object(Json.object(block.get("nonHashData")).get("localLedgerCommitTimestamp")));
      for (Object t : Json.array(block.get("transactions"))) {
        Map<String, Object> tx = Json.object(t);
        commits.put(String.valueOf(tx.get("txid")), new Commit(nanos(Json.object(tx.get("timestamp"))), commit));
      }
      nextBlock = n + 1;
      lastProgressNanos = System.nanoTime();
    }
  }

  Commit commit(String txid) {
    return commits.get(txid);
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
