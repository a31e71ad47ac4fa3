package org.jpeer.rest;

import java.nio.charset.StandardCharsets;

/**
 * What POST /chaincode answers: an HTTP status and a body, empty for notifications. Bodies are
 * written as the original writes them: a success without a trailing newline (it used
 * {@code json.Marshal}), an error with one (it used {@code json.Encoder}).
 */
record RpcReply(int status, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  static RpcReply notification() {
    return new RpcReply(200, EMPTY);
  }

  static RpcReply ok(RpcId id, String message) {
    StringBuilder out = new StringBuilder(96 + message.length());
    out.append("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\"");
    if (!message.isEmpty()) {
      GoJson.string(out.append(",\"message\":"), message);
    }
    out.append("},\"id\":");
    RpcId.write(out, id);
    out.append('}');
    return new RpcReply(200, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  static RpcReply error(int status, RpcError error, String data, RpcId id) {
    StringBuilder out = new StringBuilder(128 + data.length());
    out.append("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":").append(error.code).append(",\"message\":");
    GoJson.string(out, error.message);
    if (!data.isEmpty()) {
      GoJson.string(out.append(",\"data\":"), data);
    }
    out.append("},\"id\":");
    RpcId.write(out, id);
    out.append("}\n");
    return new RpcReply(status, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
