package org.jpeer.peer.operations;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.Timer;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/** Times every execution and query as {@code jpeer_chaincode_execute_seconds{chaincode,kind}}. */
public final class MeteredChaincode implements ChaincodeService {
  private final ChaincodeService chaincode;
  private final PeerMetrics metrics;

  public MeteredChaincode(ChaincodeService chaincode, PeerMetrics metrics) {
    this.chaincode = chaincode;
    this.metrics = metrics;
  }

  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
    return chaincode.prepareDeploy(spec);
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    long start = System.nanoTime();
    try {
      return chaincode.execute(tx, state);
    } finally {
      record(tx, tx.getType() == Transaction.Type.CHAINCODE_DEPLOY ? "deploy" : "invoke", start);
    }
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    long start = System.nanoTime();
    try {
      return chaincode.query(tx, committed);
    } finally {
      record(tx, "query", start);
    }
  }

  private void record(Transaction tx, String kind, long startNanos) {
    metrics.execution(name(tx), kind).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  static String name(Transaction tx) {
    try {
      String name = ChaincodeID.parseFrom(tx.getChaincodeID()).getName();
      return name.isEmpty() ? "unnamed" : name;
    } catch (InvalidProtocolBufferException e) {
      return "unnamed";
    }
  }

  @Override
  public void close() {
    chaincode.close();
  }

  /** For tests: the timer a transaction would be recorded on. */
  Timer timerFor(Transaction tx, String kind) {
    return metrics.execution(name(tx), kind);
  }
}
