package org.jpeer.peer.operations;

import java.util.Locale;

/**
 * Why an ordered transaction failed, coarsely, as the {@code reason} label of
 * {@code jpeer_transactions_failed_total}. The full reason is in the ledger
 * ({@code GET /transactions/{id}}); a label per distinct text would grow without bound.
 */
enum FailureClass {
  /** The chaincode ran and returned an error (the usual one: a bad argument, a business rule). */
  CHAINCODE_ERROR("chaincode_error"),
  /** The chaincode did not answer within {@code chaincode.executetimeout}. */
  TIMEOUT("timeout"),
  /** The chaincode named is not deployed (or its deploy failed). */
  NOT_DEPLOYED("not_deployed"),
  /** The chaincode could not be started (build, image, process). */
  LAUNCH("launch"),
  /** A message or value over {@code peer.maxMessageSize}. */
  TOO_LARGE("too_large"),
  /** The transaction itself is malformed (payload, type). */
  INVALID("invalid");

  private final String label;

  FailureClass(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The class of a failure reason text as the executor records it. */
  static FailureClass of(String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    // first: the chaincode's own error text may contain any of the words below
    if (r.startsWith("transaction or query returned with failure")) {
      return CHAINCODE_ERROR;
    }
    if (r.contains("timed out") || r.contains("timeout")) {
      return TIMEOUT;
    }
    if (r.contains("could not get deployment transaction") || r.contains("handler not found")
        || r.contains("not deployed")) {
      return NOT_DEPLOYED;
    }
    if (r.contains("failed to launch") || r.contains("cannot package") || r.contains("image")) {
      return LAUNCH;
    }
    if (r.contains("too large") || r.contains("exceeds") || r.contains("maxmessagesize")) {
      return TOO_LARGE;
    }
    if (r.contains("malformed") || r.contains("cannot parse") || r.contains("unparseable") || r.contains("invalid")) {
      return INVALID;
    }
    return CHAINCODE_ERROR;
  }
}
