package org.jpeer.devops;

import java.time.Clock;
import java.util.Objects;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploy, invoke and query as the original's {@code core/devops.go} does them with security off:
 * turns specs into transactions and hands them to the engine. Shared by REST and the gRPC service.
 * Thread-safe: it holds no mutable state.
 */
public final class Devops {
  private static final Logger log = LoggerFactory.getLogger(Devops.class);

  private final ChaincodeService chaincode;
  private final TransactionEngine engine;
  private final Clock clock;

  public Devops(ChaincodeService chaincode, TransactionEngine engine) {
    this(chaincode, engine, Clock.systemUTC());
  }

  public Devops(ChaincodeService chaincode, TransactionEngine engine, Clock clock) {
    this.chaincode = Objects.requireNonNull(chaincode, "chaincode");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Packages the chaincode and derives its name without submitting anything (the Build RPC). */
  public ChaincodeDeploymentSpec build(ChaincodeSpec spec) throws DevopsException {
    try {
      return chaincode.prepareDeploy(spec);
    } catch (ChaincodeException e) {
      throw new DevopsException(e.getMessage(), e);
    }
  }

  /**
   * Packages the chaincode, derives its name and submits the deploy transaction, whose txid is
   * that name. Returns once the engine accepted it; the deployment itself happens when the
   * transaction is executed.
   */
  public ChaincodeDeploymentSpec deploy(ChaincodeSpec spec) throws DevopsException, EngineBusyException {
    ChaincodeDeploymentSpec cds = build(spec);
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    if (name.isEmpty()) {
      // An empty txid cannot be indexed or looked up; the original would have accepted it.
      throw new DevopsException("Chaincode name may not be blank.");
    }
    engine.submit(Transactions.deploy(cds, name, clock.instant()));
    log.debug("Deploy transaction {} submitted", name);
    return cds;
  }

  /** Submits an invoke transaction and returns its txid at once, before it is ordered or executed. */
  public String invoke(ChaincodeInvocationSpec cis) throws DevopsException, EngineBusyException {
    requireName(cis);
    String alg = cis.getIdGenerationAlg();
    String txid = alg.isEmpty() ? TxIds.uuid() : TxIds.fromCtor(alg, cis.getChaincodeSpec().getCtorMsg());
    engine.submit(Transactions.execute(Transaction.Type.CHAINCODE_INVOKE, cis, txid, clock.instant()));
    log.debug("Invoke transaction {} submitted", txid);
    return txid;
  }

  /**
   * Runs a query against committed state. A failure message carries the original's
   * {@code Error:} prefix, as its engine's FAILURE response does.
   */
  public byte[] query(ChaincodeInvocationSpec cis) throws DevopsException {
    requireName(cis);
    // The original ignores idGenerationAlg for queries: always a fresh UUID.
    String txid = TxIds.uuid();
    try {
      return engine.query(Transactions.execute(Transaction.Type.CHAINCODE_QUERY, cis, txid, clock.instant()));
    } catch (ChaincodeException e) {
      log.debug("Query {} failed: {}", txid, e.getMessage());
      throw new DevopsException("Error:" + e.getMessage(), e);
    }
  }

  private static void requireName(ChaincodeInvocationSpec cis) throws DevopsException {
    if (cis.getChaincodeSpec().getChaincodeID().getName().isEmpty()) {
      throw new DevopsException("name not given for invoke/query");
    }
  }
}
