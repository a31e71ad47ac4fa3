package org.jpeer.peer.statetransfer;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.StateDelta;
import org.jpeer.ledger.StateSnapshot;
import org.jpeer.peer.network.Replies;
import org.jpeer.peer.network.SyncClient;
import org.jpeer.protos.Block;
import org.jpeer.protos.SyncBlockRange;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;
import org.jpeer.protos.SyncStateSnapshotRequest;

/**
 * Peers that answer from real ledgers without a network, each reply passed through a tamperer
 * (returning {@code null} stops the answer there: a silent peer). For the cases a real peer does not
 * produce on demand: forged deltas, silence, replies out of order.
 */
final class FakePeers implements SyncClient {

  static final class Peer {
    final PeerLedger ledger;
    UnaryOperator<SyncBlocks> blocks = UnaryOperator.identity();
    UnaryOperator<SyncStateDeltas> deltas = UnaryOperator.identity();
    UnaryOperator<SyncStateSnapshot> snapshot = UnaryOperator.identity();

    Peer(PeerLedger ledger) {
      this.ledger = ledger;
    }
  }

  private final Map<String, Peer> peers = new LinkedHashMap<>();

  Peer add(String id, PeerLedger ledger) {
    Peer p = new Peer(ledger);
    peers.put(id, p);
    return p;
  }

  @Override
  public List<String> connectedValidators() {
    return List.copyOf(peers.keySet());
  }

  @Override
  public Optional<Replies<SyncBlocks>> requestBlocks(String peerId, long start, long end) {
    Peer p = peers.get(peerId);
    if (p == null) {
      return Optional.empty();
    }
    List<SyncBlocks> out = new ArrayList<>();
    for (Block b : p.ledger.blocks(start, end)) {
      long n = out.isEmpty() ? start : start + (start <= end ? out.size() : -out.size());
      SyncBlocks reply = p.blocks.apply(SyncBlocks.newBuilder().setRange(range(n)).addBlocks(b).build());
      if (reply == null) {
        break;
      }
      out.add(reply);
    }
    return Optional.of(new Canned<>(out));
  }

  @Override
  public Optional<Replies<SyncStateDeltas>> requestDeltas(String peerId, long start, long end) {
    Peer p = peers.get(peerId);
    if (p == null) {
      return Optional.empty();
    }
    List<SyncStateDeltas> out = new ArrayList<>();
    for (long n = start; n <= end && n < p.ledger.height(); n++) {
      Optional<StateDelta> d = p.ledger.stateDelta(n);
      if (d.isEmpty()) {
        break;
      }
      SyncStateDeltas reply = p.deltas.apply(SyncStateDeltas.newBuilder().setRange(range(n))
          .addDeltas(ByteString.copyFrom(d.get().encode())).build());
      if (reply == null) {
        break;
      }
      out.add(reply);
    }
    return Optional.of(new Canned<>(out));
  }

  @Override
  public Optional<Replies<SyncStateSnapshot>> requestSnapshot(String peerId) {
    Peer p = peers.get(peerId);
    if (p == null) {
      return Optional.empty();
    }
    List<SyncStateSnapshot> out = new ArrayList<>();
    SyncStateSnapshotRequest request = SyncStateSnapshotRequest.newBuilder().setCorrelationId(1).build();
    try (StateSnapshot s = p.ledger.stateSnapshot()) {
      long seq = 0;
      while (s.hasNext()) {
        StateSnapshot.Entry e = s.next();
        StateDelta piece = new StateDelta();
        piece.set(e.chaincodeId(), e.key(), e.value(), null);
        out.add(SyncStateSnapshot.newBuilder().setDelta(ByteString.copyFrom(piece.encode())).setSequence(seq++)
            .setBlockNumber(s.blockNumber()).setRequest(request).build());
      }
      out.add(SyncStateSnapshot.newBuilder().setSequence(seq).setBlockNumber(s.blockNumber()).setRequest(request)
          .build());
    }
    List<SyncStateSnapshot> tampered = new ArrayList<>();
    for (SyncStateSnapshot r : out) {
      SyncStateSnapshot t = p.snapshot.apply(r);
      if (t == null) {
        break;
      }
      tampered.add(t);
    }
    return Optional.of(new Canned<>(tampered));
  }

  private static SyncBlockRange range(long n) {
    return SyncBlockRange.newBuilder().setCorrelationId(1).setStart(n).setEnd(n).build();
  }

  /** All replies at once; then silence (a timeout), as a peer that has nothing more to say. */
  private static final class Canned<T> implements Replies<T> {
    private final LinkedBlockingQueue<T> queue;

    Canned(List<T> replies) {
      queue = new LinkedBlockingQueue<>(replies.isEmpty() ? List.of() : replies);
    }

    @Override
    public Optional<T> next(Duration timeout) throws InterruptedException {
      return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean ended() {
      return false;
    }

    @Override
    public void close() {}
  }
}
