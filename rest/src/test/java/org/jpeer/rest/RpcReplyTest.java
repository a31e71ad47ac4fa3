package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RpcReplyTest {
  @Test
  void emptyResultMessageIsOmittedAsGoOmitsIt() {
    assertThat(RpcReply.ok(new RpcId.Number(3), "").text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\"},\"id\":3}");
  }

  @Test
  void successHasNoTrailingNewlineAndErrorsHaveOne() {
    assertThat(RpcReply.ok(new RpcId.Text("a"), "90").text())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"90\"},\"id\":\"a\"}");
    RpcReply error = RpcReply.error(200, RpcError.QUERY_FAILURE, "Error when querying chaincode: {\"Error\":\"Nil amount for <zz>\"}", null);
    assertThat(error.status()).isEqualTo(200);
    assertThat(error.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32003,\"message\":\"Query failure\","
        + "\"data\":\"Error when querying chaincode: {\\\"Error\\\":\\\"Nil amount for \\u003czz\\u003e\\\"}\"},\"id\":null}\n");
  }

  @Test
  void aResultWithPercentSignsAndControlCharactersStaysValid() {
    assertThat(RpcReply.ok(new RpcId.Number(1), "100%d\n").text())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":\"OK\",\"message\":\"100%d\\n\"},\"id\":1}");
  }
}
