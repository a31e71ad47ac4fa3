package org.jpeer.ledger;

/** A storage failure, a damaged ledger, or a misuse of the ledger's write protocol. */
public class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
