package org.jpeer.consensus;

import java.util.List;

/** What became of one batch: the block it became and the transactions that failed in it. */
public record BatchOutcome(long blockNumber, int committed, List<Rejection> rejected) {

  public BatchOutcome {
    rejected = List.copyOf(rejected);
  }

  /** A transaction that was ordered but failed to execute. */
  public record Rejection(String txid, String reason) {}
}
