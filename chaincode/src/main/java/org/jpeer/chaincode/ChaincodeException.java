package org.jpeer.chaincode;

/** A chaincode step failed; the message names the chaincode, the step and the cause. */
public class ChaincodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ChaincodeException(String message) {
    super(message);
  }

  public ChaincodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
