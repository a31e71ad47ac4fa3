package org.jpeer.consensus.pbft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.NewView;
import org.jpeer.protos.pbft.PQset;
import org.jpeer.protos.pbft.RequestBatch;
import org.jpeer.protos.pbft.ViewChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records a replica persists (under the peer's {@code consensus.} prefix) and what it reads back
 * at start. The first four are the original's (reference consensus.md §5.14); jpeer adds the last
 * VIEW-CHANGE it sent and the NEW-VIEW of its view, so that a replica restarted in the middle of a
 * view change neither forgets the view it announced nor sends a second, different NEW-VIEW.
 *
 * <pre>
 *   qset              PQset        pre-prepared entries (recomputed on each write)
 *   pset              PQset        prepared entries
 *   reqBatch.&lt;digest&gt; RequestBatch every batch the replica holds
 *   chkpt.&lt;n&gt;         BlockchainInfo own checkpoint n (raw, not Base64)
 *   viewchange        ViewChange   jpeer: the last VIEW-CHANGE sent
 *   newview           NewView      jpeer: the NEW-VIEW of the view installed last
 *   newview.sent      NewView      jpeer: the last NEW-VIEW this replica sent as primary
 *   request.&lt;s&gt;.&lt;ns&gt;  Request      jpeer, written by the loop: an accepted local request not yet executed
 * </pre>
 */
public final class PbftRecords {
  private static final Logger log = LoggerFactory.getLogger(PbftRecords.class);

  static final String QSET = "qset";
  static final String PSET = "pset";
  static final String BATCH_PREFIX = "reqBatch.";
  static final String CHECKPOINT_PREFIX = "chkpt.";
  static final String VIEW_CHANGE = "viewchange";
  static final String NEW_VIEW = "newview";
  static final String NEW_VIEW_SENT = "newview.sent";
  public static final String REQUEST_PREFIX = "request.";

  private PbftRecords() {}

  /** What a replica restores before its first event. */
  record Restored(
      List<ViewChange.PQ> pset,
      List<ViewChange.PQ> qset,
      Map<String, RequestBatch> batches,
      TreeMap<Long, BlockchainInfo> checkpoints,
      ViewChange viewChange,
      NewView newView,
      NewView sentNewView,
      long lastExec,
      BlockchainInfo chainInfo) {

    /** A replica that has never run. */
    static Restored fresh(BlockchainInfo chainInfo) {
      return new Restored(List.of(), List.of(), Map.of(), new TreeMap<>(), null, null, null, 0, chainInfo);
    }
  }

  /**
   * Reads the records back. Unreadable records are skipped with a warning: a replica that lost a
   * record behaves like one that never wrote it, which the protocol tolerates.
   *
   * @param records the consensus records, keyed without the {@code consensus.} prefix
   * @param lastExec the sequence number in the last block's metadata
   * @param chainInfo the chain's current info
   */
  static Restored restore(Map<String, byte[]> records, long lastExec, BlockchainInfo chainInfo) {
    List<ViewChange.PQ> pset = new ArrayList<>();
    List<ViewChange.PQ> qset = new ArrayList<>();
    Map<String, RequestBatch> batches = new HashMap<>();
    TreeMap<Long, BlockchainInfo> checkpoints = new TreeMap<>();
    ViewChange viewChange = null;
    NewView newView = null;
    NewView sentNewView = null;
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      String key = e.getKey();
      try {
        if (key.equals(QSET)) {
          qset.addAll(PQset.parseFrom(e.getValue()).getSetList());
        } else if (key.equals(PSET)) {
          pset.addAll(PQset.parseFrom(e.getValue()).getSetList());
        } else if (key.startsWith(BATCH_PREFIX)) {
          RequestBatch b = RequestBatch.parseFrom(e.getValue());
          batches.put(Digests.batchDigest(b), b);
        } else if (key.startsWith(CHECKPOINT_PREFIX)) {
          checkpoints.put(Long.parseLong(key.substring(CHECKPOINT_PREFIX.length())), BlockchainInfo.parseFrom(e.getValue()));
        } else if (key.equals(VIEW_CHANGE)) {
          viewChange = ViewChange.parseFrom(e.getValue());
        } else if (key.equals(NEW_VIEW)) {
          newView = NewView.parseFrom(e.getValue());
        } else if (key.equals(NEW_VIEW_SENT)) {
          sentNewView = NewView.parseFrom(e.getValue());
        }
      } catch (InvalidProtocolBufferException | NumberFormatException ex) {
        log.warn("ignoring the unreadable PBFT record {}: {}", key, ex.getMessage());
      }
    }
    return new Restored(pset, qset, batches, checkpoints, viewChange, newView, sentNewView, lastExec, chainInfo);
  }

  static byte[] encode(Collection<ViewChange.PQ> set) {
    return PQset.newBuilder().addAllSet(set).build().toByteArray();
  }
}
