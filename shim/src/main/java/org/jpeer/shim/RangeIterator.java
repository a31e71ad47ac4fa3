package org.jpeer.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.RangeQueryStateClose;
import org.jpeer.protos.RangeQueryStateKeyValue;
import org.jpeer.protos.RangeQueryStateNext;
import org.jpeer.protos.RangeQueryStateResponse;

/** Walks a peer-side range iterator page by page (the peer sends at most 100 pairs per page). */
final class RangeIterator implements StateRange {
  private final ShimHandler handler;
  private final String txid;
  private RangeQueryStateResponse page;
  private Iterator<RangeQueryStateKeyValue> current;
  private boolean closed;

  RangeIterator(ShimHandler handler, String txid, ByteString firstPage) {
    this.handler = handler;
    this.txid = txid;
    accept(firstPage);
  }

  private void accept(ByteString bytes) {
    try {
      page = RangeQueryStateResponse.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ShimException("bad range query page from the peer: " + e.getMessage());
    }
    current = page.getKeysAndValuesList().iterator();
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (closed || !page.getHasMore()) {
        return false;
      }
      accept(handler.request(txid, Type.RANGE_QUERY_STATE_NEXT,
          RangeQueryStateNext.newBuilder().setID(page.getID()).build().toByteString()));
    }
    return true;
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RangeQueryStateKeyValue kv = current.next();
    return new KeyValue(kv.getKey(), kv.getValue().toByteArray());
  }

  @Override
  public void close() {
    if (!closed && page.getHasMore()) {
      handler.request(txid, Type.RANGE_QUERY_STATE_CLOSE,
          RangeQueryStateClose.newBuilder().setID(page.getID()).build().toByteString());
    }
    closed = true;
  }
}
