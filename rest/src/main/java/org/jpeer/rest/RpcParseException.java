package org.jpeer.rest;

/** The body is not a JSON-RPC request; the message reads like the original's Go decoder message. */
final class RpcParseException extends Exception {
  private static final long serialVersionUID = 1L;

  RpcParseException(String message) {
    super(message, null, false, false);
  }
}
