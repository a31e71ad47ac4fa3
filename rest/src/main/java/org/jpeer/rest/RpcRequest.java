package org.jpeer.rest;

import org.jpeer.protos.ChaincodeSpec;

/**
 * A decoded JSON-RPC request; {@code null} means the member was absent or JSON {@code null}, as
 * the original's pointer fields do.
 */
record RpcRequest(String jsonrpc, String method, ChaincodeSpec params, RpcId id) {
  static final RpcRequest EMPTY = new RpcRequest(null, null, null, null);
}
