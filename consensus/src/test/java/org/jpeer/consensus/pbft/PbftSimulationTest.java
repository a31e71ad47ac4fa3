package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The main test of the PBFT core: many seeded runs of {@link Simulation}, each asserting safety and
 * liveness. {@code -Dpbft.seeds=100000} runs a longer campaign (the same count for N=4, a fifth of it
 * for N=7); {@code -Dpbft.seed=S -Dpbft.n=N} re-runs one seed, which replays identically.
 */
class PbftSimulationTest {

  @Test
  void seededRunsAreSafeAndLive() {
    String one = System.getProperty("pbft.seed");
    List<Simulation.Result> failures = new ArrayList<>();
    long steps = 0;
    long views = 0;
    long transfers = 0;
    int waived = 0;
    int runs = 0;
    long started = System.nanoTime();
    if (one != null) {
      int n = Integer.getInteger("pbft.n", 4);
      Simulation.Result r = Boolean.getBoolean("pbft.faultFree") ? Simulation.faultFree(Long.parseLong(one), n).run()
          : new Simulation(Long.parseLong(one), n, Simulation.Mutation.valueOf(System.getProperty("pbft.mutation", "NONE"))).run();
      System.out.println(describe(r));
      if (r.failed()) {
        failures.add(r);
      }
      runs = 1;
    } else {
      int seeds4 = Integer.getInteger("pbft.seeds", 1000);
      int seeds7 = Math.max(1, seeds4 / 5);
      long base = Long.getLong("pbft.base", 1L);
      for (int[] spec : new int[][] {{4, seeds4}, {7, seeds7}}) {
        for (long s = base; s < base + spec[1]; s++) {
          Simulation.Result r = new Simulation(s, spec[0], Simulation.Mutation.NONE).run();
          runs++;
          steps += r.steps();
          views += r.viewChanges();
          transfers += r.stateTransfers();
          waived += r.waived() ? 1 : 0;
          if (r.failed()) {
            failures.add(r);
            System.out.println("PBFT simulation FAILED: " + describe(r));
            System.out.println("  re-run: mvn -B -pl consensus test -Dtest=PbftSimulationTest -Dpbft.seed=" + r.seed()
                + " -Dpbft.n=" + r.n());
          }
        }
      }
    }
    long safety = failures.stream().filter(r -> !r.safety().isEmpty()).count();
    long liveness = failures.stream().filter(r -> !r.liveness().isEmpty()).count();
    System.out.printf("PBFT simulation: %d seeds, N=4 and N=7, %d safety violations, %d liveness failures"
        + " (%d core steps, %d views reached in total, %d state transfers, %d runs where with f byzantine replicas"
        + " one stranded correct replica lagged, %.1f s)%n", runs, safety, liveness, steps, views, transfers, waived,
        (System.nanoTime() - started) / 1e9);
    assertThat(failures).extracting(PbftSimulationTest::describe).isEmpty();
  }

  /**
   * Seeds outside the default range that long campaigns found failing, fixed since. 22818 (N=4): a
   * new primary that had to fetch a batch before installing its NEW-VIEW had received its backups'
   * prepares for it already, never committed that number, and stayed behind in an idle network.
   * 62371 (N=4): three replicas held requests that had once been in a batch, with no batch under way
   * and so no timer, in a view whose primary had moved on alone. 46948 (N=4): the simulator's own
   * state transfer to the genesis checkpoint required a source that had executed nothing.
   */
  @Test
  void seedsFoundByCampaignsStayFixed() {
    for (long seed : new long[] {22818, 62371, 46948}) {
      Simulation.Result r = new Simulation(seed, 4, Simulation.Mutation.NONE).run();
      assertThat(r.failed()).as(describe(r)).isFalse();
    }
  }

  static String describe(Simulation.Result r) {
    return "seed=" + r.seed() + " N=" + r.n() + " [" + r.scenario() + "] safety=" + r.safety() + " liveness="
        + r.liveness() + " steps=" + r.steps() + " batches=" + r.executedBatches() + " view=" + r.viewChanges()
        + " transfers=" + r.stateTransfers() + " dupSkips=" + r.duplicatesSkipped() + " simMs=" + r.simulatedMillis()
        + (r.waived() ? " (one stranded replica lagged, waived)" : "");
  }
}
