package org.jpeer.devops;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.Transaction;

/**
 * Test stand-in for the peer's engine, which lives in module {@code peer} (that depends on this
 * one): records what was submitted, answers queries with a given function and can be made busy.
 */
final class RecordingEngine implements TransactionEngine {
  interface QueryAnswer {
    byte[] answer(Transaction tx) throws ChaincodeException;
  }

  final List<Transaction> submitted = new CopyOnWriteArrayList<>();
  final List<Transaction> queried = new CopyOnWriteArrayList<>();
  volatile boolean busy;
  volatile QueryAnswer answer = tx -> new byte[0];

  static RecordingEngine answering(Function<Transaction, byte[]> f) {
    RecordingEngine e = new RecordingEngine();
    e.answer = f::apply;
    return e;
  }

  @Override
  public void submit(Transaction tx) throws EngineBusyException {
    if (busy) {
      throw new EngineBusyException("transaction queue full (1000 pending); retry later");
    }
    submitted.add(tx);
  }

  @Override
  public byte[] query(Transaction tx) throws ChaincodeException {
    queried.add(tx);
    return answer.answer(tx);
  }
}
