package org.jpeer.peer.engine;

import java.nio.charset.StandardCharsets;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * Stand-in chaincode service for the engine's unit tests (real chaincode processes are exercised by
 * the end-to-end tests). The payload is a key; each invoke adds one to it; a key starting with
 * "fail" writes and then fails, so its write must not survive.
 */
final class CounterChaincode implements ChaincodeService {

  static final String CC = "counter";

  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) {
    return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec).build();
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    String key = tx.getPayload().toStringUtf8();
    byte[] old = state.get(CC, key);
    int n = old == null ? 0 : Integer.parseInt(new String(old, StandardCharsets.UTF_8));
    state.put(CC, key, Integer.toString(n + 1).getBytes(StandardCharsets.UTF_8));
    if (key.startsWith("fail")) {
      throw new ChaincodeException("counter refuses key " + key);
    }
    return new ExecutionResult(new byte[0],
        ChaincodeEvent.newBuilder().setChaincodeID(CC).setEventName("inc").build());
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    byte[] v = committed.get(CC, tx.getPayload().toStringUtf8());
    if (v == null) {
      throw new ChaincodeException("no value for " + tx.getPayload().toStringUtf8());
    }
    return v;
  }

  @Override
  public void close() {}
}
