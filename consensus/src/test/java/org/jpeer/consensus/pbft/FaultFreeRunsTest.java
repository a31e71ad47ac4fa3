package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Without faults the network must never change view: a needless view change is a liveness bug that
 * the main simulation hides (it only asks that requests commit in the end). Bursts of requests fill
 * the primary's half-window so that batching has to resume when the watermarks move.
 */
class FaultFreeRunsTest {

  @Test
  void burstsCommitWithoutAViewChange() {
    for (long seed = 1; seed <= 200; seed++) {
      Simulation.Result r = Simulation.faultFree(seed, seed % 5 == 0 ? 7 : 4).run();
      assertThat(r.safety()).as("seed %d", seed).isEmpty();
      assertThat(r.liveness()).as("seed %d", seed).isEmpty();
      assertThat(r.viewChanges()).as("seed %d [%s]: views reached", seed, r.scenario()).isZero();
    }
  }
}
