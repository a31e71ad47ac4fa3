package org.jpeer.consensus.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpeer.protos.pbft.ViewChange;
import org.junit.jupiter.api.Test;

/** The view-change rules of reference consensus.md §5.12, on hand-built VIEW-CHANGE sets (N=4, f=1, L=40). */
class ViewChangeMathTest {
  static final int F = 1;
  static final int Q = 3;
  static final long L = 40;

  @Test
  void nothingToReproposeLeavesOneNullRequestAboveTheCheckpoint() {
    // Observed on the original: X:map[21:] after a view change at h = 20.
    List<ViewChange> vset = List.of(vc(1, 20, c(20, "A")), vc(2, 20, c(20, "A")), vc(3, 20, c(20, "A")));
    assertThat(ViewChangeMath.initialCheckpoint(vset, F, Q)).hasValueSatisfying(cp -> {
      assertThat(cp.seqNo()).isEqualTo(20);
      assertThat(cp.replicas()).containsExactlyInAnyOrder(1, 2, 3);
    });
    assertThat(ViewChangeMath.xset(vset, 20, L, F, Q)).contains(new TreeMap<>(Map.of(21L, "")));
  }

  @Test
  void aPreparedBatchIsReproposedAndGapsBecomeNullRequests() {
    ViewChange a = vc(1, 0, c(0, "G")).toBuilder().addPset(pq(2, "d2", 0)).addQset(pq(2, "d2", 0)).build();
    ViewChange b = vc(2, 0, c(0, "G")).toBuilder().addPset(pq(2, "d2", 0)).addQset(pq(2, "d2", 0)).build();
    ViewChange d = vc(3, 0, c(0, "G")).toBuilder().addQset(pq(2, "d2", 0)).build();
    List<ViewChange> vset = List.of(a, b, d);
    assertThat(ViewChangeMath.xset(vset, 0, L, F, Q)).contains(new TreeMap<>(Map.of(1L, "", 2L, "d2")));
  }

  @Test
  void aDigestPreparedByOneReplicaWithoutWeakQSupportIsNotChosen() {
    // A2 needs f+1 = 2 Q entries with that digest; only the preparer has one, and a quorum lacks a P
    // entry for 1: the null request is chosen.
    ViewChange a = vc(1, 0, c(0, "G")).toBuilder().addPset(pq(1, "x", 0)).addQset(pq(1, "x", 0)).build();
    List<ViewChange> vset = List.of(a, vc(2, 0, c(0, "G")), vc(3, 0, c(0, "G")), vc(0, 0, c(0, "G")));
    assertThat(ViewChangeMath.xset(vset, 0, L, F, Q)).contains(new TreeMap<>(Map.of(1L, "")));
  }

  @Test
  void conflictingPreparesWithoutAQuorumMeanNoNewView() {
    ViewChange a = vc(1, 0, c(0, "G")).toBuilder().addPset(pq(1, "x", 0)).addQset(pq(1, "x", 0)).build();
    ViewChange b = vc(2, 0, c(0, "G")).toBuilder().addPset(pq(1, "y", 0)).addQset(pq(1, "y", 0)).build();
    ViewChange d = vc(3, 0, c(0, "G")).toBuilder().addPset(pq(1, "z", 0)).build();
    assertThat(ViewChangeMath.xset(List.of(a, b, d), 0, L, F, Q)).isEmpty();
  }

  @Test
  void theHighestCheckpointWithWeakSupportAndAQuorumBelowItIsChosen() {
    List<ViewChange> vset = List.of(
        vc(0, 10, c(10, "B"), c(20, "C")), vc(1, 10, c(10, "B"), c(20, "C")), vc(2, 0, c(0, "A"), c(10, "B")));
    assertThat(ViewChangeMath.initialCheckpoint(vset, F, Q)).hasValueSatisfying(cp -> {
      // 20 has f+1 = 2 supporters but only 2 VIEW-CHANGEs with h <= 20... all three have h <= 20: chosen
      assertThat(cp.seqNo()).isEqualTo(20);
      assertThat(cp.id()).isEqualTo("C");
      assertThat(cp.replicas()).containsExactlyInAnyOrder(0, 1);
    });
    List<ViewChange> noSupport = List.of(vc(0, 0, c(0, "A")), vc(1, 0, c(0, "B")), vc(2, 0, c(0, "C")));
    assertThat(ViewChangeMath.initialCheckpoint(noSupport, F, Q)).isEmpty();
  }

  @Test
  void wellFormedChecksViewsAndWindows() {
    assertThat(ViewChangeMath.wellFormed(vc(1, 10, c(10, "A")).toBuilder().addPset(pq(11, "d", 0)).build(), L)).isTrue();
    assertThat(ViewChangeMath.wellFormed(vc(1, 10, c(10, "A")).toBuilder().addPset(pq(10, "d", 0)).build(), L)).isFalse();
    assertThat(ViewChangeMath.wellFormed(vc(1, 10, c(10, "A")).toBuilder().addQset(pq(51, "d", 0)).build(), L)).isFalse();
    assertThat(ViewChangeMath.wellFormed(vc(1, 10, c(10, "A")).toBuilder().addPset(pq(11, "d", 5)).build(), L)).isFalse();
    assertThat(ViewChangeMath.wellFormed(vc(1, 10, c(9, "A")), L)).isFalse();
  }

  static ViewChange vc(long replica, long h, ViewChange.C... cset) {
    return ViewChange.newBuilder().setView(5).setH(h).setReplicaId(replica).addAllCset(List.of(cset)).build();
  }

  static ViewChange.C c(long n, String id) {
    return ViewChange.C.newBuilder().setSequenceNumber(n).setId(id).build();
  }

  static ViewChange.PQ pq(long n, String d, long v) {
    return ViewChange.PQ.newBuilder().setSequenceNumber(n).setBatchDigest(d).setView(v).build();
  }
}
