package org.jpeer.peer.network;

import java.util.List;
import java.util.Optional;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;

/**
 * The requesting side of state transfer (ledger.md §10): sends SYNC_GET_BLOCKS,
 * SYNC_STATE_GET_DELTAS and SYNC_STATE_GET_SNAPSHOT to a connected peer, each with a fresh
 * correlation id, and hands back the replies that carry it. Checking what the replies contain is
 * the caller's job. One request of each kind is open per peer: a new one abandons the previous.
 */
public interface SyncClient {

  /** PeerID names of the connected validating peers (this peer excluded). */
  List<String> connectedValidators();

  /** Blocks {@code start} to {@code end}, one SYNC_BLOCKS each; empty when the peer is not connected. */
  Optional<Replies<SyncBlocks>> requestBlocks(String peerId, long start, long end);

  /** State deltas of blocks {@code start} to {@code end}, one SYNC_STATE_DELTAS each. */
  Optional<Replies<SyncStateDeltas>> requestDeltas(String peerId, long start, long end);

  /** The peer's whole state, one SYNC_STATE_SNAPSHOT per key, then one with an empty delta. */
  Optional<Replies<SyncStateSnapshot>> requestSnapshot(String peerId);
}
