package org.jpeer.chaincode;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jpeer.protos.ChaincodeDeploymentSpec;

/** Dev mode: the user starts chaincode by hand, so a chaincode that has not registered is an error. */
final class DevModeRuntime implements ChaincodeRuntime {

  @Override
  public CompletableFuture<String> start(String name, ChaincodeDeploymentSpec spec)
      throws ChaincodeException {
    throw new ChaincodeException("handler not found for chaincode " + name
        + " (dev mode: start the chaincode with CORE_CHAINCODE_ID_NAME=" + name
        + " before deploying or invoking it)");
  }

  @Override
  public Optional<String> problem() {
    return Optional.empty();
  }

  @Override
  public void stop(String name) {
    // the user owns the process
  }

  @Override
  public void close() {
    // nothing was started
  }
}
