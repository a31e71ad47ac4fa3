package org.jpeer.shim;

/** A call to the peer failed; the message carries the peer's reason. */
public final class ShimException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShimException(String message) {
    super(message);
  }
}
