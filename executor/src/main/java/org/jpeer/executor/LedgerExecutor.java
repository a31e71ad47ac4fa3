package org.jpeer.executor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.consensus.BatchExecutor;
import org.jpeer.consensus.BatchOutcome;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs an ordered batch through chaincode, each transaction in its own {@link TxState}, and commits
 * the successful ones as one block. Failed transactions stay out of the block and are recorded in the
 * ledger with their reason, so that none is ever unknown.
 */
public final class LedgerExecutor implements BatchExecutor {

  private static final Logger log = LoggerFactory.getLogger(LedgerExecutor.class);
  /** The MDC key the peer's JSON log lines read the transaction from. */
  static final String TXID = "txid";

  private final Ledger ledger;
  private final ChaincodeService chaincode;
  private final boolean skipCommitted;

  /** Executes every transaction it is given (noops). */
  public LedgerExecutor(Ledger ledger, ChaincodeService chaincode) {
    this(ledger, chaincode, false);
  }

  private LedgerExecutor(Ledger ledger, ChaincodeService chaincode, boolean skipCommitted) {
    this.ledger = ledger;
    this.chaincode = chaincode;
    this.skipCommitted = skipCommitted;
  }

  /**
   * An executor that skips a transaction whose txid is already in a block of the chain, or earlier in
   * the same batch (PBFT). Every replica holds the same chain when it executes a sequence number, so
   * every replica skips the same ones: a request that reached two batches (a replica that forgot,
   * in a restart, what it had executed; a faulty primary) still executes once.
   */
  public static LedgerExecutor skippingCommitted(Ledger ledger, ChaincodeService chaincode) {
    return new LedgerExecutor(ledger, chaincode, true);
  }

  @Override
  public BatchOutcome executeAndCommit(List<Transaction> transactions, byte[] consensusMetadata) {
    long blockNumber = ledger.height();
    List<Transaction> committed = new ArrayList<>(transactions.size());
    // As the original (and the LedgerBatch contract): one event per executed transaction, failed
    // ones included, in execution order; an empty event where a transaction produced none.
    List<ChaincodeEvent> events = new ArrayList<>(transactions.size());
    List<FailedTx> failures = new ArrayList<>();
    List<BatchOutcome.Rejection> rejections = new ArrayList<>();
    Set<String> inBatch = new HashSet<>();
    try (LedgerBatch batch = ledger.beginBatch()) {
      for (Transaction tx : transactions) {
        if (skipCommitted && (!inBatch.add(tx.getTxid()) || ledger.transactionLocation(tx.getTxid()).isPresent())) {
          log.debug("transaction {} is already in the chain; not executed again in block {}", tx.getTxid(), blockNumber);
          continue;
        }
        TxState state = batch.beginTx(tx.getTxid());
        // every line logged while this transaction runs names it (the txid field of JSON logs)
        MDC.put(TXID, tx.getTxid());
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
          failures.add(new FailedTx(tx, reason));
          events.add(ChaincodeEvent.getDefaultInstance());
          rejections.add(new BatchOutcome.Rejection(tx.getTxid(), reason));
        } finally {
          MDC.remove(TXID);
        }
      }
      Block block = batch.commit(committed, consensusMetadata, events, failures);
      log.debug("block {} committed with {} transactions ({} failed)",
          blockNumber, block.getTransactionsCount(), failures.size());
    }
    return new BatchOutcome(blockNumber, committed.size(), rejections, ledger.blockchainInfo());
  }
}
