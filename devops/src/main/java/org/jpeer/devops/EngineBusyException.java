package org.jpeer.devops;

/** The engine's queue to the consenter is full; the transaction was not accepted. */
public class EngineBusyException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineBusyException(String message) {
    super(message);
  }
}
