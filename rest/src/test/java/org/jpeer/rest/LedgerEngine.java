package org.jpeer.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import com.google.protobuf.InvalidProtocolBufferException;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.LedgerBatch;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.Transaction;

/**
 * Test stand-in for the peer's engine (module peer, which depends on rest, so it cannot be used
 * here): commits every submitted transaction at once as a one-transaction block of the real
 * ledger, or, when the invoke's function is "fail", records it as failed as the executor does.
 * Queries of "a" answer "90", of "boom" break the engine (a bug below REST); anything else fails
 * as example02 does for an unknown key.
 */
final class LedgerEngine implements TransactionEngine {
  private final Ledger ledger;
  final AtomicInteger submitted = new AtomicInteger();
  volatile boolean busy;

  LedgerEngine(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public synchronized void submit(Transaction tx) throws EngineBusyException {
    if (busy) {
      throw new EngineBusyException("the transaction queue is full (1000 pending), try again later");
    }
    submitted.incrementAndGet();
    try (LedgerBatch batch = ledger.beginBatch()) {
      if (function(tx).equals("fail")) {
        batch.commit(List.of(), new byte[0], List.of(),
            List.of(new FailedTx(tx, "Transaction or query returned with failure: Incorrect number of arguments")));
      } else {
        TxState state = batch.beginTx(tx.getTxid());
        state.put("mycc", tx.getTxid(), tx.getPayload().toByteArray());
        state.commit();
        batch.commit(List.of(tx), new byte[0], List.of(ChaincodeEvent.getDefaultInstance()), List.of());
      }
    }
  }

  @Override
  public byte[] query(Transaction tx) throws ChaincodeException {
    ChaincodeInvocationSpec cis = invocation(tx);
    String key = cis.getChaincodeSpec().getCtorMsg().getArgs(1).toStringUtf8();
    if (key.equals("boom")) {
      throw new IllegalStateException("engine broke");
    }
    if (key.equals("a")) {
      return "90".getBytes(StandardCharsets.UTF_8);
    }
    throw new ChaincodeException("Transaction or query returned with failure: {\"Error\":\"Nil amount for " + key + "\"}");
  }

  private static String function(Transaction tx) {
    if (tx.getType() != Transaction.Type.CHAINCODE_INVOKE) {
      return "";
    }
    return invocation(tx).getChaincodeSpec().getCtorMsg().getArgs(0).toStringUtf8();
  }

  private static ChaincodeInvocationSpec invocation(Transaction tx) {
    try {
      return ChaincodeInvocationSpec.parseFrom(tx.getPayload());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
