package org.jpeer.rest;

/** The JSON-RPC error codes and messages of the original's REST server (rest-api.md §2), in one table. */
enum RpcError {
  PARSE_ERROR(-32700, "Parse error"),
  INVALID_REQUEST(-32600, "Invalid request"),
  METHOD_NOT_FOUND(-32601, "Method not found"),
  INVALID_PARAMS(-32602, "Invalid params"),
  INTERNAL_ERROR(-32603, "Internal error"),
  REGISTRATION_MISSING(-32000, "Registration missing"),
  DEPLOYMENT_FAILURE(-32001, "Deployment failure"),
  INVOCATION_FAILURE(-32002, "Invocation failure"),
  QUERY_FAILURE(-32003, "Query failure");

  final int code;
  final String message;

  RpcError(int code, String message) {
    this.code = code;
    this.message = message;
  }
}
