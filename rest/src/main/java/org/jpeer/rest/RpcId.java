package org.jpeer.rest;

/** A JSON-RPC request id as the original accepts it: a string or a 64-bit integer, echoed as given. */
sealed interface RpcId {
  record Text(String value) implements RpcId {}

  record Number(long value) implements RpcId {}

  /** Appends the id as JSON; {@code null} (a notification or an unreadable request) is {@code null}. */
  static void write(StringBuilder out, RpcId id) {
    if (id instanceof Text t) {
      GoJson.string(out, t.value());
    } else if (id instanceof Number n) {
      out.append(n.value());
    } else {
      out.append("null");
    }
  }
}
