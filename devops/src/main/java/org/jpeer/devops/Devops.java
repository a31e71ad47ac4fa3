package org.jpeer.devops;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
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

  /** {@code peer.maxMessageSize}'s default: gRPC's default limit, which the original's Go shim keeps. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  /** Room in a chaincode message for everything besides the arguments (txid, timestamp, certificates). */
  static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

  private final ChaincodeService chaincode;
  private final TransactionEngine engine;
  private final Clock clock;
  private final int maxMessageBytes;
  private final Optional<UserCrypto> security;

  public Devops(ChaincodeService chaincode, TransactionEngine engine) {
    this(chaincode, engine, Clock.systemUTC(), DEFAULT_MAX_MESSAGE_BYTES);
  }

  public Devops(ChaincodeService chaincode, TransactionEngine engine, Clock clock) {
    this(chaincode, engine, clock, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /** @param maxMessageBytes {@code peer.maxMessageSize}: arguments above half of it (less the overhead) are refused */
  public Devops(ChaincodeService chaincode, TransactionEngine engine, Clock clock, int maxMessageBytes) {
    this(chaincode, engine, clock, maxMessageBytes, Optional.empty());
  }

  /** @param security the users of a secured peer ({@code security.enabled}); empty when it is off */
  public Devops(ChaincodeService chaincode, TransactionEngine engine, Clock clock, int maxMessageBytes,
      Optional<UserCrypto> security) {
    this.security = Objects.requireNonNull(security, "security");
    this.chaincode = Objects.requireNonNull(chaincode, "chaincode");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxMessageBytes <= 2 * MESSAGE_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("peer.maxMessageSize must be above " + 2 * MESSAGE_OVERHEAD_BYTES
          + " bytes, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The users of a secured peer; empty when {@code security.enabled} is off. */
  public Optional<UserCrypto> security() {
    return security;
  }

  /** The largest arguments (ctorMsg, encoded) a deploy, invoke or query may carry. */
  public int maxArgumentBytes() {
    return (maxMessageBytes - MESSAGE_OVERHEAD_BYTES) / 2;
  }

  /**
   * Refuses arguments that would make the message to the chaincode larger than the limit: they
   * travel twice in it (payload and security context, as in the original), and a message above
   * the chaincode's gRPC limit breaks its stream, failing every request on it, not just this one.
   */
  private void requireFits(ChaincodeSpec spec) throws DevopsException {
    int size = spec.getCtorMsg().getSerializedSize();
    if (size > maxArgumentBytes()) {
      throw new DevopsException("The arguments are " + size + " bytes; at most " + maxArgumentBytes()
          + " are accepted (peer.maxMessageSize=" + maxMessageBytes + ": arguments travel twice in the message to"
          + " the chaincode)");
    }
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
    requireFits(spec);
    String user = user(spec);
    spec = withoutUser(spec);
    ChaincodeDeploymentSpec cds = build(spec);
    String name = cds.getChaincodeSpec().getChaincodeID().getName();
    if (name.isEmpty()) {
      // An empty txid cannot be indexed or looked up; the original would have accepted it.
      throw new DevopsException("Chaincode name may not be blank.");
    }
    engine.submit(secured(user, spec, Transactions.deploy(cds, name, clock.instant())));
    log.debug("Deploy transaction {} submitted", name);
    return cds;
  }

  /** Submits an invoke transaction and returns its txid at once, before it is ordered or executed. */
  public String invoke(ChaincodeInvocationSpec cis) throws DevopsException, EngineBusyException {
    requireName(cis);
    requireFits(cis.getChaincodeSpec());
    String user = user(cis.getChaincodeSpec());
    cis = cis.toBuilder().setChaincodeSpec(withoutUser(cis.getChaincodeSpec())).build();
    String alg = cis.getIdGenerationAlg();
    String txid = alg.isEmpty() ? TxIds.uuid() : TxIds.fromCtor(alg, cis.getChaincodeSpec().getCtorMsg());
    engine.submit(secured(user, cis.getChaincodeSpec(),
        Transactions.execute(Transaction.Type.CHAINCODE_INVOKE, cis, txid, clock.instant())));
    log.debug("Invoke transaction {} submitted", txid);
    return txid;
  }

  /**
   * {@code EXP_ExecuteWithBinding}: an invoke signed with the TCert and nonce of a binding
   * {@code EXP_PrepareForTx} handed out (used once); its txid is always the sha256 id of the ctor.
   */
  public String executeWithBinding(ChaincodeInvocationSpec cis, byte[] binding)
      throws DevopsException, EngineBusyException {
    if (security.isEmpty()) {
      throw new DevopsException("Security NOT enabled");
    }
    requireName(cis);
    requireFits(cis.getChaincodeSpec());
    ChaincodeSpec spec = cis.getChaincodeSpec();
    cis = cis.toBuilder().setChaincodeSpec(spec.toBuilder().clearSecureContext()).build();
    String txid = TxIds.fromCtor(TxIds.SHA256, cis.getChaincodeSpec().getCtorMsg());
    Transaction unsigned = Transactions.execute(Transaction.Type.CHAINCODE_INVOKE, cis, txid, clock.instant())
        .toBuilder().setMetadata(spec.getMetadata()).build();
    engine.submit(security.get().signPrepared(binding, unsigned));
    log.debug("Invoke transaction {} with a prepared binding submitted", txid);
    return txid;
  }

  /**
   * Runs a query against committed state. A failure message carries the original's
   * {@code Error:} prefix, as its engine's FAILURE response does.
   */
  public byte[] query(ChaincodeInvocationSpec cis) throws DevopsException {
    requireName(cis);
    requireFits(cis.getChaincodeSpec());
    String user = user(cis.getChaincodeSpec());
    cis = cis.toBuilder().setChaincodeSpec(withoutUser(cis.getChaincodeSpec())).build();
    // The original ignores idGenerationAlg for queries: always a fresh UUID.
    String txid = TxIds.uuid();
    try {
      return engine.query(secured(user, cis.getChaincodeSpec(),
          Transactions.execute(Transaction.Type.CHAINCODE_QUERY, cis, txid, clock.instant())));
    } catch (ChaincodeException e) {
      log.debug("Query {} failed: {}", txid, e.getMessage());
      throw new DevopsException("Error:" + e.getMessage(), e);
    }
  }

  /** The user a secured peer signs for ({@code secureContext}); null when security is off. */
  private String user(ChaincodeSpec spec) throws DevopsException {
    if (security.isEmpty()) {
      return null;
    }
    if (spec.getSecureContext().isEmpty()) {
      throw new DevopsException("Must supply username for chaincode when security is enabled.");
    }
    // REST has checked the token already; a gRPC Devops client (the CLI) is held to it here
    security.get().requireLoggedIn(spec.getSecureContext());
    return spec.getSecureContext();
  }

  // as the original: the user's name is not part of what goes into the block
  private ChaincodeSpec withoutUser(ChaincodeSpec spec) {
    return security.isEmpty() ? spec : spec.toBuilder().clearSecureContext().build();
  }

  /** With security on: the spec's metadata, then a fresh TCert, nonce and signature of {@code user}. */
  private Transaction secured(String user, ChaincodeSpec spec, Transaction tx) throws DevopsException {
    if (security.isEmpty()) {
      return tx;
    }
    return security.get().sign(user, tx.toBuilder().setMetadata(spec.getMetadata()).build());
  }

  private static void requireName(ChaincodeInvocationSpec cis) throws DevopsException {
    if (cis.getChaincodeSpec().getChaincodeID().getName().isEmpty()) {
      throw new DevopsException("name not given for invoke/query");
    }
  }
}
