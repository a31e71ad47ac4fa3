package org.jpeer.peer.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jpeer.rest.HealthCheck;
import org.junit.jupiter.api.Test;

/** The readiness rules on plain values (the parts are suppliers; a real peer is in OperationsEndToEndTest). */
class PeerHealthTest {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean settled = new AtomicBoolean(true);
  private final AtomicInteger validators = new AtomicInteger(3);
  private final AtomicInteger runtimeCalls = new AtomicInteger();
  private volatile Optional<String> runtimeProblem = Optional.empty();
  private final AtomicLong now = new AtomicLong();

  private PeerHealth health(int needed) {
    return new PeerHealth(new PeerHealth.Parts(() -> 7, running::get, settled::get, () -> {
      runtimeCalls.incrementAndGet();
      return runtimeProblem;
    }, validators::get, needed), now::get);
  }

  private static List<String> down(List<HealthCheck> checks) {
    return checks.stream().filter(c -> !c.up()).map(HealthCheck::name).toList();
  }

  @Test
  void readyWhenEveryPartIs() {
    List<HealthCheck> checks = health(2).readiness();
    assertThat(checks).extracting(HealthCheck::name).containsExactly("ledger", "consenter", "chaincode-runtime", "network");
    assertThat(down(checks)).isEmpty();
    assertThat(checks.get(0).detail()).isEqualTo("open, height 7");
  }

  @Test
  void stateTransferAStoppedConsenterTooFewValidatorsAndNoRuntimeEachMakeItNotReady() {
    PeerHealth h = health(2);
    settled.set(false);
    assertThat(down(h.readiness())).containsExactly("consenter");
    settled.set(true);
    running.set(false);
    assertThat(down(h.readiness())).containsExactly("consenter");
    running.set(true);
    validators.set(1);
    assertThat(down(h.readiness())).containsExactly("network");
    assertThat(h.readiness().get(3).detail()).isEqualTo("1 validators connected, 2 needed");
    validators.set(2);
    runtimeProblem = Optional.of("the Docker engine at unix:///x does not answer");
    now.addAndGet(PeerHealth.RUNTIME_CHECK_NANOS);
    List<HealthCheck> checks = h.readiness();
    assertThat(down(checks)).containsExactly("chaincode-runtime");
    assertThat(checks.get(2).detail()).contains("does not answer");
    assertThat(h.liveness()).allMatch(HealthCheck::up);
  }

  @Test
  void theRuntimeIsAskedAtMostOncePerInterval() {
    PeerHealth h = health(0);
    for (int i = 0; i < 10; i++) {
      h.readiness();
    }
    assertThat(runtimeCalls).hasValue(1);
    now.addAndGet(PeerHealth.RUNTIME_CHECK_NANOS);
    h.readiness();
    assertThat(runtimeCalls).hasValue(2);
  }

  @Test
  void aNonValidatorHasNoConsenterCheck() {
    PeerHealth h = new PeerHealth(new PeerHealth.Parts(() -> 1, null, () -> true, Optional::empty, () -> 0, 0));
    assertThat(h.readiness()).extracting(HealthCheck::name).containsExactly("ledger", "chaincode-runtime");
  }
}
