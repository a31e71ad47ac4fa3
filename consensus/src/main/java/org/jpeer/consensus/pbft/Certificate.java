package org.jpeer.consensus.pbft;

import java.util.HashMap;
import java.util.Map;
import org.jpeer.protos.pbft.Commit;
import org.jpeer.protos.pbft.PrePrepare;
import org.jpeer.protos.pbft.Prepare;

/** What one replica knows about one (view, sequence number): the original's {@code msgCert}. */
final class Certificate {
  final long view;
  final long seqNo;
  /** The accepted pre-prepare (or the one installed from a NEW-VIEW); null until then. */
  PrePrepare prePrepare;
  String digest = "";
  final Map<Integer, Prepare> prepares = new HashMap<>();
  final Map<Integer, Commit> commits = new HashMap<>();
  boolean sentPrepare;
  boolean sentCommit;
  /** The commit quorum was seen (so the commit-time actions ran once). */
  boolean committed;

  Certificate(long view, long seqNo) {
    this.view = view;
    this.seqNo = seqNo;
  }

  /** Prepares matching this certificate's digest. */
  int matchingPrepares() {
    int count = 0;
    for (Prepare p : prepares.values()) {
      if (p.getBatchDigest().equals(digest)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Commits matching this certificate's digest. The original counts commits whatever their digest
   * (its quirk 10); only matching ones count here.
   */
  int matchingCommits() {
    int count = 0;
    for (Commit c : commits.values()) {
      if (c.getBatchDigest().equals(digest)) {
        count++;
      }
    }
    return count;
  }
}
