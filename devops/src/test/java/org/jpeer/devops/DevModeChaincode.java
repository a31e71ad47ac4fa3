package org.jpeer.devops;

import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.protos.Transaction;

/**
 * Test stand-in for the chaincode service (module chaincode, another helper's work): prepares a
 * deploy as the original does in dev mode (the given name, no package) and fails for a path
 * called "missing", as packaging a path that does not exist does. Nothing here executes.
 */
final class DevModeChaincode implements ChaincodeService {
  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
    if (spec.getChaincodeID().getPath().equals("missing")) {
      throw new ChaincodeException("Error getting chaincode package bytes: path missing does not exist");
    }
    return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec).build();
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    throw new ChaincodeException("devops never executes transactions");
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    throw new ChaincodeException("devops queries through the engine");
  }

  @Override
  public void close() {}
}
