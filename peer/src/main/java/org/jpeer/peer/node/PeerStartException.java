package org.jpeer.peer.node;

/** The peer could not start; the message is one line for {@code Error: <message>}. */
public final class PeerStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public PeerStartException(String message, Throwable cause) {
    super(message, cause);
  }

  public PeerStartException(String message) {
    super(message);
  }
}
