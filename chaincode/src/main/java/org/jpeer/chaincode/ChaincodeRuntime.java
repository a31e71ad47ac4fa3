package org.jpeer.chaincode;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jpeer.protos.ChaincodeDeploymentSpec;

/**
 * Where launched chaincode runs. Every runtime ends the same way: a chaincode that dials the
 * peer's address and opens the {@code ChaincodeSupport.Register} stream under its name.
 */
sealed interface ChaincodeRuntime extends AutoCloseable
    permits ProcessRuntime, DockerRuntime, DevModeRuntime {

  /**
   * Starts chaincode {@code name} from the code package of its deployment spec. The returned
   * future completes with a description when the runtime sees the chaincode end (so a launch
   * need not wait its whole startup timeout for a chaincode that died); a runtime that cannot
   * tell returns one that never completes.
   */
  CompletableFuture<String> start(String name, ChaincodeDeploymentSpec spec)
      throws ChaincodeException;

  /**
   * Why this runtime could not start chaincode now (no Docker engine answering, no java
   * executable), or empty when it could. Called by the peer's readiness check: must be quick.
   */
  Optional<String> problem();

  /** Stops chaincode {@code name} if it runs; never fails. */
  void stop(String name);

  /** Stops everything this runtime started. */
  @Override
  void close();
}
