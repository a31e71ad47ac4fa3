package org.jpeer.rest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * Test stand-in for the chaincode service (module chaincode, built by another helper in
 * parallel): prepares deploys as the original does in dev mode (the given name, no package) or,
 * in network mode, names the chaincode with the first step of the original's name hash
 * (SHA-512 of the constructor, 128 hex digits) without packaging anything. Nothing executes here.
 */
final class StandInChaincode implements ChaincodeService {
  private final boolean devMode;

  StandInChaincode(boolean devMode) {
    this.devMode = devMode;
  }

  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
    if (devMode) {
      return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec).build();
    }
    if (spec.getChaincodeID().getPath().equals("missing")) {
      throw new ChaincodeException("Error getting chaincode package bytes: path missing does not exist");
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-512").digest(spec.getCtorMsg().toByteArray());
      ChaincodeID id = spec.getChaincodeID().toBuilder().setName(HexFormat.of().formatHex(h)).build();
      return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec.toBuilder().setChaincodeID(id)).build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    throw new ChaincodeException("the REST tests execute nothing through the chaincode service");
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    throw new ChaincodeException("the REST tests query through the engine stand-in");
  }

  @Override
  public void close() {}
}
