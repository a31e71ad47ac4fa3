package org.jpeer.executor;

import java.util.ArrayList;
import java.util.List;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.TxFailure;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an ordered batch through chaincode, each transaction in its own {@link TxState}, and commits
 * the successful ones as one block. Failed transactions stay out of the block and are recorded in the
 * ledger with their reason, so that none is ever unknown.
 */
public final class LedgerExecutor implements BatchExecutor {

  private static final Logger log = LoggerFactory.getLogger(LedgerExecutor.class);

  private final Ledger ledger;
  private final ChaincodeService chaincode;

  public LedgerExecutor(Ledger ledger, ChaincodeService chaincode) {
    this.ledger = ledger;
    this.chaincode = chaincode;
  }

  @Override
  public BatchOutcome executeAndCommit(List<Transaction> transactions, byte[] consensusMetadata) {
    long blockNumber = ledger.height();
    List<Transaction> committed = new ArrayList<>(transactions.size());
    // As the original (and the LedgerBatch contract): one event per executed transaction, failed
    // ones included, in execution order; an empty event where a transaction produced none.
    List<ChaincodeEvent> events = new ArrayList<>(transactions.size());
    List<TxFailure> failures = new ArrayList<>();
    List<BatchOutcome.Rejection> rejections = new ArrayList<>();
    try (LedgerBatch batch = ledger.beginBatch()) {
      for (Transaction tx : transactions) {
        TxState state = batch.beginTx(tx.getTxid());
        try {
          ExecutionResult result = chaincode.execute(tx, state);
          state.commit();
          committed.add(tx);
          events.add(result.event() == null ? ChaincodeEvent.getDefaultInstance() : result.event());
        } catch (ChaincodeException | RuntimeException e) {
          state.discard();
          String reason = e.getMessage() == null ? e.toString() : e.getMessage();
          log.warn("transaction {} ({}) failed and is left out of block {}: {}",
              tx.getTxid(), tx.getType(), blockNumber, reason);
          failures.add(new TxFailure(tx.getTxid(), blockNumber, reason));
          events.add(ChaincodeEvent.getDefaultInstance());
          rejections.add(new BatchOutcome.Rejection(tx.getTxid(), reason));
        }
      }
      Block block = batch.commit(committed, consensusMetadata, events, failures);
      log.debug("block {} committed with {} transactions ({} failed)",
          blockNumber, block.getTransactionsCount(), failures.size());
    }
    return new BatchOutcome(blockNumber, committed.size(), rejections, ledger.blockchainInfo());
  }
}
