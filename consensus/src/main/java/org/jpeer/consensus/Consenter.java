package org.jpeer.consensus;

import org.jpeer.protos.Message;
import org.jpeer.protos.Transaction;

/**
 * Orders transactions into batches and has them executed and committed, one batch after the other.
 * Implementations own one event-loop thread; every method here may be called from any thread.
 */
public interface Consenter extends AutoCloseable {

  /** Starts the event loop; transactions submitted before are held until then. */
  void start();

  /**
   * Accepts a deploy or invoke transaction from a local client; returns at once, or after a short
   * bounded wait for room when the consenter is full (PBFT: 50 ms).
   *
   * @return {@code false} when the consenter already holds as many accepted but not yet executed
   *     transactions as it may (backpressure); nothing was accepted then
   * @throws IllegalStateException when the consenter is closed
   */
  boolean submit(Transaction tx);

  /** A consensus message from another peer, identified by its PeerID name. */
  void recvMsg(Message msg, String senderPeerId);

  /**
   * A stream to the peer {@code peerId} was (re)established; a consenter may use it to send that
   * peer what it missed. Called from network threads.
   */
  default void peerConnected(String peerId) {}

  /** Accepted but not yet executed transactions (for operators and tests). */
  int pending();

  /**
   * Whether committed state may be queried now; {@code false} while the consenter has the ledger
   * replaced by state transfer (the original's "state may be inconsistent, cannot query").
   */
  default boolean queriesAllowed() {
    return true;
  }

  /**
   * Stops accepting, executes and commits every accepted transaction, then stops the loop. Returns
   * when the last batch is committed.
   */
  @Override
  void close();
}
