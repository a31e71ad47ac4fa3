package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The simulation can fail: with the commit quorum deliberately lowered to f+1, some of the first seeds
 * violate safety (a replica executes a batch that a later view, built on a lying replica's
 * VIEW-CHANGE, replaces). The first catching seed is printed and named in the README. (A prepare
 * quorum of f+1 is not caught: exploiting it takes two colluding byzantine replicas, which the
 * simulator does not model.)
 */
class BrokenRuleTest {

  @Test
  void aCommitQuorumOfFPlusOneIsCaught() {
    assertThat(firstCatch(Simulation.Mutation.COMMIT_QUORUM_F_PLUS_1)).isPositive();
  }

  private static long firstCatch(Simulation.Mutation mutation) {
    for (long seed = 1; seed <= 2000; seed++) {
      Simulation.Result r = new Simulation(seed, 4, mutation).run();
      if (!r.safety().isEmpty()) {
        System.out.println("PBFT simulation with " + mutation + ": seed " + seed + " (N=4) catches it: "
            + r.safety().get(0) + " [" + r.scenario() + "]");
        return seed;
      }
    }
    return -1;
  }
}
