package org.jpeer.peer.statetransfer;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jpeer.peer.network.Replies;
import org.jpeer.peer.network.SyncClient;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;

/** Passes requests through and records them as "blocks vp0 10..0", "deltas vp0 4..10", "snapshot vp0". */
final class RecordingSyncClient implements SyncClient {
  private final SyncClient delegate;
  final List<String> requests = new CopyOnWriteArrayList<>();

  RecordingSyncClient(SyncClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<String> connectedValidators() {
    return delegate.connectedValidators();
  }

  @Override
  public Optional<Replies<SyncBlocks>> requestBlocks(String peerId, long start, long end) {
    requests.add("blocks " + peerId + " " + start + ".." + end);
    return delegate.requestBlocks(peerId, start, end);
  }

  @Override
  public Optional<Replies<SyncStateDeltas>> requestDeltas(String peerId, long start, long end) {
    requests.add("deltas " + peerId + " " + start + ".." + end);
    return delegate.requestDeltas(peerId, start, end);
  }

  @Override
  public Optional<Replies<SyncStateSnapshot>> requestSnapshot(String peerId) {
    requests.add("snapshot " + peerId);
    return delegate.requestSnapshot(peerId);
  }

  boolean asked(String prefix) {
    return requests.stream().anyMatch(r -> r.startsWith(prefix));
  }
}
