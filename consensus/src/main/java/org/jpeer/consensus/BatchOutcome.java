package org.jpeer.consensus;

import java.util.List;
import org.jpeer.protos.BlockchainInfo;

/**
 * What became of one batch: the block it became, the chain's info right after that block was
 * committed, and the transactions that failed in it.
 */
public record BatchOutcome(long blockNumber, int committed, List<Rejection> rejected, BlockchainInfo chainInfo) {

  public BatchOutcome {
    rejected = List.copyOf(rejected);
  }

  /** A transaction that was ordered but failed to execute. */
  public record Rejection(String txid, String reason) {}
}
