package org.jpeer.crypto.client;

/** The membership service refused, could not be reached, or answered something that does not check out. */
public final class EnrolmentException extends Exception {
  public EnrolmentException(String message) {
    super(message);
  }

  public EnrolmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
