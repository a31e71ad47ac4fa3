package org.jpeer.consensus;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jpeer.protos.BlockchainInfo;

/**
 * Brings this peer's ledger to a block that other replicas have agreed on (Fabric's
 * {@code Executor.UpdateState}). Implemented by the peer over its peer-to-peer streams; the
 * consenter decides when to call it and what to do with the result.
 */
public interface StateTransfer {

  /** For a replica that is alone: nobody can be asked, every transfer fails. */
  StateTransfer NONE = (target, peers, done) -> done.accept(Optional.empty());

  /**
   * Starts bringing the ledger to {@code target}: afterwards its height is {@code target.height}, its
   * last block hashes to {@code target.currentBlockHash} and its state to that block's state hash.
   * Blocks, deltas and snapshots are fetched from {@code peers} (PeerID names, e.g. {@code vp2}) first,
   * then from any other connected validator. Returns at once; the work runs on another thread.
   *
   * <p>{@code done} is called exactly once, from any thread: with the {@link BlockchainInfo} the
   * ledger now has when it reached the target, or empty when it could not (no peer answered, every
   * answer was wrong, or the target is below the ledger's height). The consenter never calls this
   * while a batch is executing, nor again before {@code done} was called.
   */
  void syncTo(BlockchainInfo target, List<String> peers, Consumer<Optional<BlockchainInfo>> done);
}
