package org.jpeer.devops;

/**
 * A deploy, invoke or query was refused or failed. The message is the text the original peer puts
 * after "Error when deploying/invoking/querying chaincode: ", e.g. {@code name not given for
 * invoke/query} or {@code Error:Transaction or query returned with failure: ...}.
 */
public class DevopsException extends Exception {
  private static final long serialVersionUID = 1L;

  public DevopsException(String message) {
    super(message);
  }

  public DevopsException(String message, Throwable cause) {
    super(message, cause);
  }
}
