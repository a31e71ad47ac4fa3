package org.jpeer.peer.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.Optional;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.StateDelta;
import org.jpeer.ledger.StateSnapshot;
import org.jpeer.protos.Block;
import org.jpeer.protos.Message;
import org.jpeer.protos.SyncBlockRange;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateDeltasRequest;
import org.jpeer.protos.SyncStateSnapshot;
import org.jpeer.protos.SyncStateSnapshotRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of state transfer (ledger.md §10), message for message as the original:
 *
 * <ul>
 *   <li>SYNC_GET_BLOCKS {@code {id, start, end}}: one SYNC_BLOCKS per block, range {@code {n, n, id}},
 *       from start to end (descending when start &gt; end); stops at the first missing block.
 *   <li>SYNC_STATE_GET_DELTAS: one SYNC_STATE_DELTAS per block with its encoded delta; stops at the
 *       first block whose delta is no longer kept.
 *   <li>SYNC_STATE_GET_SNAPSHOT: one SYNC_STATE_SNAPSHOT per key (a delta of that one key, sequence
 *       from 0, the block the state belongs to), then one with an empty delta and the next sequence.
 * </ul>
 *
 * Blocks are read one at a time, so a huge range costs no memory. A reply waits at most
 * {@code peer.sync.state.snapshot.writeTimeout} for room in the stream's queue; then the request is
 * given up. A peer whose own state is incomplete (it is loading a snapshot) sends no snapshot.
 */
final class SyncServer {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

  private final PeerLedger ledger;
  private final Duration writeTimeout;

  SyncServer(PeerLedger ledger, Duration writeTimeout) {
    this.ledger = ledger;
    this.writeTimeout = writeTimeout;
  }

  void serve(Connection c, Message request) throws InvalidProtocolBufferException, InterruptedException {
    switch (request.getType()) {
      case SYNC_GET_BLOCKS -> blocks(c, SyncBlockRange.parseFrom(request.getPayload()));
      case SYNC_STATE_GET_DELTAS -> deltas(c, SyncStateDeltasRequest.parseFrom(request.getPayload()).getRange());
      case SYNC_STATE_GET_SNAPSHOT -> snapshot(c, SyncStateSnapshotRequest.parseFrom(request.getPayload()));
      default -> throw new IllegalArgumentException("not a state-transfer request: " + request.getType());
    }
  }

  private void blocks(Connection c, SyncBlockRange range) throws InterruptedException {
    long id = range.getCorrelationId();
    long step = Long.compareUnsigned(range.getStart(), range.getEnd()) <= 0 ? 1 : -1;
    for (long n = range.getStart(); ; n += step) {
      Optional<Block> block = n < 0 ? Optional.empty() : ledger.block(n);
      if (block.isEmpty()) {
        log.debug("{}: no block {}; the blocks request {} ends there", c, Long.toUnsignedString(n), id);
        return;
      }
      SyncBlocks reply = SyncBlocks.newBuilder().setRange(single(id, n)).addBlocks(block.get()).build();
      if (!send(c, Messages.of(Message.Type.SYNC_BLOCKS, reply))) {
        return;
      }
      if (n == range.getEnd()) {
        return;
      }
    }
  }

  private void deltas(Connection c, SyncBlockRange range) throws InterruptedException {
    long id = range.getCorrelationId();
    long step = Long.compareUnsigned(range.getStart(), range.getEnd()) <= 0 ? 1 : -1;
    for (long n = range.getStart(); ; n += step) {
      Optional<StateDelta> delta = n < 0 || n >= ledger.height() ? Optional.empty() : ledger.stateDelta(n);
      if (delta.isEmpty()) {
        log.debug("{}: no state delta of block {}; the deltas request {} ends there", c, Long.toUnsignedString(n), id);
        return;
      }
      SyncStateDeltas reply = SyncStateDeltas.newBuilder().setRange(single(id, n))
          .addDeltas(ByteString.copyFrom(delta.get().encode())).build();
      if (!send(c, Messages.of(Message.Type.SYNC_STATE_DELTAS, reply))) {
        return;
      }
      if (n == range.getEnd()) {
        return;
      }
    }
  }

  private void snapshot(Connection c, SyncStateSnapshotRequest request) throws InterruptedException {
    try (StateSnapshot snapshot = ledger.stateSnapshot()) {
      long blockNumber = snapshot.blockNumber();
      if (blockNumber < 0) {
        log.debug("{}: the state is being replaced; no snapshot sent for request {}", c, request.getCorrelationId());
        return;
      }
      long sequence = 0;
      while (snapshot.hasNext()) {
        StateSnapshot.Entry e = snapshot.next();
        StateDelta piece = new StateDelta();
        piece.set(e.chaincodeId(), e.key(), e.value(), null);
        SyncStateSnapshot reply = SyncStateSnapshot.newBuilder()
            .setDelta(ByteString.copyFrom(piece.encode()))
            .setSequence(sequence++)
            .setBlockNumber(blockNumber)
            .setRequest(request)
            .build();
        if (!send(c, Messages.of(Message.Type.SYNC_STATE_SNAPSHOT, reply))) {
          return;
        }
      }
      SyncStateSnapshot end = SyncStateSnapshot.newBuilder()
          .setSequence(sequence)
          .setBlockNumber(blockNumber)
          .setRequest(request)
          .build();
      send(c, Messages.of(Message.Type.SYNC_STATE_SNAPSHOT, end));
    }
  }

  private boolean send(Connection c, Message reply) throws InterruptedException {
    if (c.putReply(reply, writeTimeout)) {
      return true;
    }
    log.debug("{}: gave up a state-transfer reply: the stream closed or took nothing for {}", c, writeTimeout);
    return false;
  }

  private static SyncBlockRange single(long correlationId, long n) {
    return SyncBlockRange.newBuilder().setCorrelationId(correlationId).setStart(n).setEnd(n).build();
  }
}
