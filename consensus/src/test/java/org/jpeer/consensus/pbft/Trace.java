package org.jpeer.consensus.pbft;

import com.google.protobuf.InvalidProtocolBufferException;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.Request;

/** One-line descriptions of events and actions for simulation traces. */
final class Trace {
  private Trace() {}

  static String event(PbftEvent e) {
    if (e instanceof PbftEvent.MessageFrom m) {
      return "vp" + m.sender() + " " + message(m.message());
    }
    if (e instanceof PbftEvent.RequestFrom r) {
      return "vp" + r.sender() + " request " + key(r.request());
    }
    if (e instanceof PbftEvent.LocalRequest r) {
      return "local request " + key(r.request());
    }
    if (e instanceof PbftEvent.Executed x) {
      return "executed " + x.seqNo() + " height " + x.info().getHeight();
    }
    if (e instanceof PbftEvent.StateUpdated u) {
      return "state updated " + u.seqNo() + (u.reached() == null ? " FAILED" : " height " + u.reached().getHeight());
    }
    return e.toString();
  }

  static String action(PbftAction a) {
    if (a instanceof PbftAction.Send s) {
      BatchMessage m = s.message();
      String what;
      if (m.hasRequest()) {
        what = "request " + key(m.getRequest());
      } else {
        try {
          what = message(PbftMessage.parseFrom(m.getPbftMessage()));
        } catch (InvalidProtocolBufferException ex) {
          what = "?";
        }
      }
      return "send " + s.to() + " " + what;
    }
    if (a instanceof PbftAction.Execute x) {
      return "execute " + x.seqNo() + " (" + x.requests().size() + " requests)";
    }
    if (a instanceof PbftAction.Persist p) {
      return "persist " + p.puts().keySet() + " del " + p.deletes();
    }
    if (a instanceof PbftAction.TransferState t) {
      return "transfer to " + t.seqNo() + " height " + t.target().getHeight() + " from " + t.replicas();
    }
    return a.toString();
  }

  static String message(PbftMessage m) {
    return switch (m.getPayloadCase()) {
      case PRE_PREPARE -> "pre-prepare v" + m.getPrePrepare().getView() + " n" + m.getPrePrepare().getSequenceNumber()
          + " " + shortDigest(m.getPrePrepare().getBatchDigest()) + " (" + m.getPrePrepare().getRequestBatch().getBatchCount() + ")";
      case PREPARE -> "prepare v" + m.getPrepare().getView() + " n" + m.getPrepare().getSequenceNumber() + " "
          + shortDigest(m.getPrepare().getBatchDigest());
      case COMMIT -> "commit v" + m.getCommit().getView() + " n" + m.getCommit().getSequenceNumber() + " "
          + shortDigest(m.getCommit().getBatchDigest());
      case CHECKPOINT -> "checkpoint n" + m.getCheckpoint().getSequenceNumber() + " " + shortDigest(m.getCheckpoint().getId());
      case VIEW_CHANGE -> "view-change v" + m.getViewChange().getView() + " h" + m.getViewChange().getH() + " C"
          + m.getViewChange().getCsetCount() + " P" + m.getViewChange().getPsetCount() + " Q" + m.getViewChange().getQsetCount();
      case NEW_VIEW -> "new-view v" + m.getNewView().getView() + " X" + m.getNewView().getXsetMap();
      case FETCH_REQUEST_BATCH -> "fetch " + shortDigest(m.getFetchRequestBatch().getBatchDigest());
      case RETURN_REQUEST_BATCH -> "return batch (" + m.getReturnRequestBatch().getBatchCount() + ")";
      default -> m.getPayloadCase().toString();
    };
  }

  static String key(Request r) {
    RequestKey k = RequestKey.of(r);
    return "vp" + k.replica() + "@" + k.seconds() + "." + k.nanos();
  }

  static String shortDigest(String d) {
    return d.isEmpty() ? "null" : d.substring(0, Math.min(6, d.length()));
  }
}
