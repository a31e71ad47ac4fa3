package org.jpeer.shim;

import java.util.List;

/**
 * What a chaincode author implements. Each method gets the stub of the running transaction or
 * query, the function name ({@code args[0]}, empty when there are no arguments) and the remaining
 * arguments, exactly as a Fabric v0.6 Go chaincode does. A thrown exception fails the transaction
 * (its message is what the client sees); it never stops the chaincode process.
 */
public interface Chaincode {

  /** Runs once when the chaincode is deployed; may read and write state. */
  byte[] init(ChaincodeStub stub, String function, List<String> args) throws Exception;

  /** Runs an invoke transaction; may read and write state. */
  byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception;

  /** Answers a query from committed state; writes are refused. */
  byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception;
}
