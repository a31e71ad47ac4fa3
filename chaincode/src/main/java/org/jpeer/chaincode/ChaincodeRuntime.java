package org.jpeer.chaincode;

import org.jpeer.protos.ChaincodeDeploymentSpec;

/**
 * Where launched chaincode runs. Every runtime ends the same way: a chaincode that dials the
 * peer's address and opens the {@code ChaincodeSupport.Register} stream under its name.
 */
sealed interface ChaincodeRuntime extends AutoCloseable
    permits ProcessRuntime, DevModeRuntime {

  /** Starts chaincode {@code name} from the code package of its deployment spec. */
  void start(String name, ChaincodeDeploymentSpec spec) throws ChaincodeException;

  /** Stops chaincode {@code name} if it runs; never fails. */
  void stop(String name);

  /** Stops everything this runtime started. */
  @Override
  void close();
}
