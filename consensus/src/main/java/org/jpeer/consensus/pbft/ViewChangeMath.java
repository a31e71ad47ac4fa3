package org.jpeer.consensus.pbft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jpeer.protos.pbft.ViewChange;

/**
 * The view-change computations every replica must do identically (reference consensus.md §5.12):
 * which VIEW-CHANGEs are well formed, the initial checkpoint of a new view, and the X-set. A new
 * primary computes them to build its NEW-VIEW and every backup recomputes them to check it, so a jpeer
 * replica and a Fabric replica must agree on every input — these follow the original rule by rule.
 */
final class ViewChangeMath {
  private ViewChangeMath() {}

  /** A checkpoint chosen to start a new view, and the replicas that vouch for it. */
  record InitialCheckpoint(long seqNo, String id, List<Integer> replicas) {}

  /**
   * A VIEW-CHANGE is usable when its P and Q entries are from earlier views and inside its sender's
   * window, and its checkpoints inside that window (its low watermark included).
   */
  static boolean wellFormed(ViewChange vc, long logSize) {
    long h = vc.getH();
    for (ViewChange.PQ p : vc.getPsetList()) {
      if (!(p.getView() < vc.getView() && p.getSequenceNumber() > h && p.getSequenceNumber() <= h + logSize)) {
        return false;
      }
    }
    for (ViewChange.PQ q : vc.getQsetList()) {
      if (!(q.getView() < vc.getView() && q.getSequenceNumber() > h && q.getSequenceNumber() <= h + logSize)) {
        return false;
      }
    }
    for (ViewChange.C c : vc.getCsetList()) {
      if (!(c.getSequenceNumber() >= h && c.getSequenceNumber() <= h + logSize)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The highest checkpoint that at least f+1 VIEW-CHANGEs contain and at or above which at least a
   * quorum of them have their low watermark. Ties on a sequence number (impossible among correct
   * replicas) go to the lexically smallest id, so that every replica picks the same one.
   */
  static Optional<InitialCheckpoint> initialCheckpoint(List<ViewChange> vset, int f, int quorum) {
    record Point(long seqNo, String id) {}
    Map<Point, List<Integer>> supporters = new TreeMap<>(
        Comparator.comparingLong(Point::seqNo).thenComparing(Point::id));
    for (ViewChange vc : vset) {
      for (ViewChange.C c : vc.getCsetList()) {
        List<Integer> list = supporters.computeIfAbsent(new Point(c.getSequenceNumber(), c.getId()), p -> new ArrayList<>());
        if (!list.contains((int) vc.getReplicaId())) {
          list.add((int) vc.getReplicaId());
        }
      }
    }
    InitialCheckpoint best = null;
    for (Map.Entry<Point, List<Integer>> e : supporters.entrySet()) {
      if (e.getValue().size() <= f) {
        continue;
      }
      long n = e.getKey().seqNo();
      long below = vset.stream().filter(vc -> vc.getH() <= n).count();
      if (below < quorum) {
        continue;
      }
      if (best == null || best.seqNo() < n) {
        best = new InitialCheckpoint(n, e.getKey().id(), List.copyOf(e.getValue()));
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The X-set for base {@code h}: for every n in (h, h + L] the digest that must be re-proposed, or
   * the null request "" where nothing can have committed; empty when some n can be decided neither
   * way (no new view yet). Null entries above the highest real digest are dropped, except that
   * h+1 keeps its null entry when there is no real digest at all (the original's quirk 7, kept
   * because replicas compare X-sets).
   */
  static Optional<TreeMap<Long, String>> xset(List<ViewChange> vset, long h, long logSize, int f, int quorum) {
    TreeMap<Long, String> x = new TreeMap<>();
    long maxN = h + 1;
    for (long n = h + 1; n <= h + logSize; n++) {
      String chosen = chooseDigest(vset, n, f, quorum);
      if (chosen != null) {
        x.put(n, chosen);
        maxN = n;
        continue;
      }
      int withoutEntry = 0;
      for (ViewChange m : vset) {
        if (pEntry(m, n).isEmpty()) {
          withoutEntry++;
        }
      }
      if (withoutEntry >= quorum) {
        x.put(n, Digests.NULL_REQUEST);
        continue;
      }
      return Optional.empty();
    }
    x.tailMap(maxN, false).entrySet().removeIf(e -> e.getValue().isEmpty());
    return Optional.of(x);
  }

  /** The digest some VIEW-CHANGE prepared at n that conditions A1 and A2 allow, or null. */
  private static String chooseDigest(List<ViewChange> vset, long n, int f, int quorum) {
    for (ViewChange m : vset) {
      for (ViewChange.PQ em : m.getPsetList()) {
        if (em.getSequenceNumber() != n) {
          continue;
        }
        // A1: a quorum of VIEW-CHANGEs below n prepared nothing newer or different at n.
        int a1 = 0;
        for (ViewChange mp : vset) {
          if (mp.getH() >= n) {
            continue;
          }
          boolean consistent = true;
          for (ViewChange.PQ emp : mp.getPsetList()) {
            if (emp.getSequenceNumber() == n && !(emp.getView() < em.getView()
                || (emp.getView() == em.getView() && emp.getBatchDigest().equals(em.getBatchDigest())))) {
              consistent = false;
              break;
            }
          }
          if (consistent) {
            a1++;
          }
        }
        if (a1 < quorum) {
          continue;
        }
        // A2: f+1 Q entries (counted per entry, as the original) pre-prepared it in that view or later.
        int a2 = 0;
        for (ViewChange mp : vset) {
          for (ViewChange.PQ emp : mp.getQsetList()) {
            if (emp.getSequenceNumber() == n && emp.getView() >= em.getView()
                && emp.getBatchDigest().equals(em.getBatchDigest())) {
              a2++;
            }
          }
        }
        if (a2 >= f + 1) {
          return em.getBatchDigest();
        }
      }
    }
    return null;
  }

  private static Optional<ViewChange.PQ> pEntry(ViewChange m, long n) {
    for (ViewChange.PQ p : m.getPsetList()) {
      if (p.getSequenceNumber() == n) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
