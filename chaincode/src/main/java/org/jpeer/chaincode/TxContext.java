package org.jpeer.chaincode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jpeer.ledger.StateIterator;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeMessage;

/**
 * One txid in flight on one handler: whether it may write, the state it reads and writes, the
 * one-slot answer, and its open range iterators (closed when the answer is taken).
 */
final class TxContext {
  final String txid;
  final boolean transaction;
  final StateReader reader;
  /** Null for queries: they cannot write. */
  final TxState writer;
  final CompletableFuture<ChaincodeMessage> answer = new CompletableFuture<>();
  final Map<String, StateIterator> iterators = new ConcurrentHashMap<>();
  /**
   * The first refused state write of this transaction, or null. A shim may send its writes without
   * waiting for their answers (jpeer's does), so a refused write must fail the transaction when it
   * completes rather than rely on the chaincode having seen the ERROR.
   */
  volatile String refusedWrite;

  TxContext(String txid, boolean transaction, StateReader reader, TxState writer) {
    this.txid = txid;
    this.transaction = transaction;
    this.reader = reader;
    this.writer = writer;
  }

  void closeIterators() {
    for (String id : iterators.keySet()) {
      StateIterator it = iterators.remove(id);
      if (it != null) {
        it.close();
      }
    }
  }
}
