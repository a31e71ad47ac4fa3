package org.jpeer.peer.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jpeer.rest.Health;
import org.jpeer.rest.HealthCheck;

/**
 * The peer's liveness and readiness. Live: the process serves (if this answers, it is). Ready:
 * the ledger is open, the consenter runs and is not replacing state by state transfer, the chaincode
 * runtime could launch chaincode, and enough validators are connected: 2f others under PBFT (to
 * order), one for a non-validating peer (to forward to).
 *
 * <p>The chaincode runtime check may ask a Docker engine; its answer is kept for
 * {@link #RUNTIME_CHECK_NANOS} so that probes every second do not become engine pings every second.
 */
public final class PeerHealth implements Health {
  static final long RUNTIME_CHECK_NANOS = 5_000_000_000L;

  /** What the readiness checks read; each must answer quickly and not throw for a running peer. */
  public record Parts(
      LongSupplier ledgerHeight,
      BooleanSupplier consenterRunning,
      BooleanSupplier consenterSettled,
      Supplier<Optional<String>> runtimeProblem,
      IntSupplier connectedValidators,
      int validatorsNeeded) {}

  private final Parts parts;
  private final LongSupplier clock;
  private long runtimeCheckedAt;
  private Optional<String> runtimeProblem = Optional.empty();
  private boolean runtimeChecked;

  public PeerHealth(Parts parts) {
    this(parts, System::nanoTime);
  }

  PeerHealth(Parts parts, LongSupplier nanoClock) {
    this.parts = parts;
    this.clock = nanoClock;
  }

  @Override
  public List<HealthCheck> liveness() {
    return List.of(HealthCheck.up("process", "serving"));
  }

  @Override
  public List<HealthCheck> readiness() {
    List<HealthCheck> checks = new ArrayList<>(4);
    checks.add(ledger());
    if (parts.consenterRunning() != null) {
      checks.add(consenter());
    }
    checks.add(runtime());
    if (parts.validatorsNeeded() > 0) {
      int connected = parts.connectedValidators().getAsInt();
      String detail = connected + " validators connected, " + parts.validatorsNeeded() + " needed";
      checks.add(connected >= parts.validatorsNeeded() ? HealthCheck.up("network", detail) : HealthCheck.down("network", detail));
    }
    return checks;
  }

  private HealthCheck ledger() {
    try {
      return HealthCheck.up("ledger", "open, height " + parts.ledgerHeight().getAsLong());
    } catch (RuntimeException e) {
      return HealthCheck.down("ledger", "not readable: " + e.getMessage());
    }
  }

  private HealthCheck consenter() {
    if (!parts.consenterRunning().getAsBoolean()) {
      return HealthCheck.down("consenter", "not running");
    }
    if (!parts.consenterSettled().getAsBoolean()) {
      return HealthCheck.down("consenter", "state transfer in progress: state is being replaced, queries are refused");
    }
    return HealthCheck.up("consenter", "running");
  }

  private synchronized HealthCheck runtime() {
    long now = clock.getAsLong();
    if (!runtimeChecked || now - runtimeCheckedAt >= RUNTIME_CHECK_NANOS) {
      try {
        runtimeProblem = parts.runtimeProblem().get();
      } catch (RuntimeException e) {
        runtimeProblem = Optional.of("check failed: " + e);
      }
      runtimeCheckedAt = now;
      runtimeChecked = true;
    }
    return runtimeProblem.map(p -> HealthCheck.down("chaincode-runtime", p))
        .orElseGet(() -> HealthCheck.up("chaincode-runtime", "can launch chaincode"));
  }
}
