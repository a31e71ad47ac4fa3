package org.jpeer.peer.operations;

import java.util.List;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.protos.Transaction;

/** Times each batch's execution and block write as {@code jpeer_block_commit_seconds}. */
public final class MeteredExecutor implements BatchExecutor {
  private final BatchExecutor executor;
  private final PeerMetrics metrics;

  public MeteredExecutor(BatchExecutor executor, PeerMetrics metrics) {
    this.executor = executor;
    this.metrics = metrics;
  }

  @Override
  public BatchOutcome executeAndCommit(List<Transaction> transactions, byte[] consensusMetadata) {
    long start = System.nanoTime();
    BatchOutcome outcome = executor.executeAndCommit(transactions, consensusMetadata);
    metrics.blockCommit().record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    return outcome;
  }
}
