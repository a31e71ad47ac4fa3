package org.jpeer.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;

/** The open batch: a state delta in memory until {@link #commit} writes it with the block. */
final class RocksBatch implements LedgerBatch {
  private final RocksLedger ledger;
  private final StateDelta delta = new StateDelta();
  private final Map<String, byte[]> txDeltaHashes = new HashMap<>();
  private RocksTx openTx;
  private StateStore.Prepared prepared;
  private boolean ended;

  RocksBatch(RocksLedger ledger) {
    this.ledger = ledger;
  }

  RocksLedger ledger() {
    return ledger;
  }

  StateDelta delta() {
    return delta;
  }

  @Override
  public TxState beginTx(String txid) {
    checkActive();
    RocksLedger.requireText(txid, "txid");
    if (openTx != null) {
      throw new IllegalStateException("Transaction " + openTx.txid() + " is still open; commit or discard it before "
          + txid);
    }
    openTx = new RocksTx(this, txid);
    return openTx;
  }

  void txEnded(RocksTx tx, boolean keep) {
    if (openTx != tx) {
      throw new IllegalStateException("Transaction " + tx.txid() + " is not the open transaction of this batch");
    }
    openTx = null;
    if (keep && !tx.delta().isEmpty()) {
      delta.merge(tx.delta());
      prepared = null;
      txDeltaHashes.put(tx.txid(), tx.delta().hash());
    }
  }

  /** Fabric's per-transaction delta hashes (txid → hash) of the kept transactions that wrote state. */
  Map<String, byte[]> txDeltaHashes() {
    return Map.copyOf(txDeltaHashes);
  }

  @Override
  public byte[] previewStateHash() {
    checkActive();
    return RocksLedger.nullToEmpty(prepare().hash()).clone();
  }

  @Override
  public BlockchainInfo previewBlockchainInfo(List<Transaction> transactions, byte[] consensusMetadata) {
    checkActive();
    RocksLedger.requireNonNull(transactions, "transactions");
    return ledger.preview(prepare(), transactions, consensusMetadata);
  }

  private StateStore.Prepared prepare() {
    if (prepared == null) {
      prepared = ledger.prepare(delta);
    }
    return prepared;
  }

  @Override
  public Block commit(List<Transaction> transactions, byte[] consensusMetadata, List<ChaincodeEvent> events,
      List<FailedTx> failures) {
    checkActive();
    RocksLedger.requireNonNull(transactions, "transactions");
    if (openTx != null) {
      throw new IllegalStateException("Transaction " + openTx.txid() + " is still open; commit or discard it first");
    }
    try {
      return ledger.commit(delta, prepare(), transactions, consensusMetadata, events, failures);
    } finally {
      end();
    }
  }

  @Override
  public void rollback() {
    if (!ended) {
      end();
    }
  }

  @Override
  public void close() {
    rollback();
  }

  private void end() {
    ended = true;
    openTx = null;
    ledger.batchEnded(this);
  }

  void checkActive() {
    if (ended) {
      throw new IllegalStateException("This batch has already been committed or rolled back");
    }
  }
}
