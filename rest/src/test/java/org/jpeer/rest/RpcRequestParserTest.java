package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.jpeer.protos.ChaincodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcRequestParserTest {
  private static RpcRequest parse(String json) throws RpcParseException {
    return RpcRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String args(ChaincodeSpec spec) {
    return String.join(",", spec.getCtorMsg().getArgsList().stream().map(b -> b.toStringUtf8()).toList());
  }

  @Test
  void readsTheReferenceRequest() throws Exception {
    RpcRequest r = parse("{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"type\":1,"
        + "\"chaincodeID\":{\"name\":\"mycc\",\"path\":\"p\"},\"ctorMsg\":{\"args\":[\"init\",\"a\",\"100\"]},"
        + "\"secureContext\":\"jim\",\"confidentialityLevel\":0,\"attributes\":[\"x\"],\"timeout\":5,\"metadata\":\"AQI=\"},\"id\":1}");

    assertThat(r.jsonrpc()).isEqualTo("2.0");
    assertThat(r.method()).isEqualTo("deploy");
    assertThat(r.id()).isEqualTo(new RpcId.Number(1));
    ChaincodeSpec spec = r.params();
    assertThat(spec.getType()).isEqualTo(ChaincodeSpec.Type.GOLANG);
    assertThat(spec.getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(spec.getChaincodeID().getPath()).isEqualTo("p");
    assertThat(args(spec)).isEqualTo("init,a,100");
    assertThat(spec.getSecureContext()).isEqualTo("jim");
    assertThat(spec.getAttributesList()).containsExactly("x");
    assertThat(spec.getTimeout()).isEqualTo(5);
    assertThat(spec.getMetadata().toByteArray()).containsExactly(1, 2);
  }

  @Test
  void acceptsWhatTheOriginalAccepts() throws Exception {
    // legacy function form, string id, missing type, case-insensitive names, unknown members
    RpcRequest r = parse("{\"JSONRPC\":\"2.0\",\"Method\":\"query\",\"extra\":[1,{}],\"params\":"
        + "{\"chaincodeid\":{\"Name\":\"mycc\"},\"ctorMsg\":{\"function\":\"query\",\"args\":[\"a\"]}},\"id\":\"abc\"}");
    assertThat(r.method()).isEqualTo("query");
    assertThat(r.id()).isEqualTo(new RpcId.Text("abc"));
    assertThat(r.params().getTypeValue()).isZero();
    assertThat(r.params().getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(args(r.params())).isEqualTo("query,a");

    assertThat(parse("{\"id\":null,\"jsonrpc\":null}")).isEqualTo(RpcRequest.EMPTY);
    assertThat(parse("null")).isEqualTo(RpcRequest.EMPTY);
    assertThat(parse("{\"id\":-9223372036854775808}").id()).isEqualTo(new RpcId.Number(Long.MIN_VALUE));
    assertThat(parse("{\"id\":9223372036854775807}").id()).isEqualTo(new RpcId.Number(Long.MAX_VALUE));
    assertThat(parse("{\"id\":\"x\",\"id\":null}").id()).as("the last id wins, null included").isNull();
    RpcRequest typed = parse("{\"params\":{\"type\":4,\"timeout\":2147483647,\"confidentialityLevel\":1,"
        + "\"secureContext\":\"jim\"}}");
    assertThat(typed.params().getType()).isEqualTo(ChaincodeSpec.Type.JAVA);
    assertThat(typed.params().getTimeout()).isEqualTo(Integer.MAX_VALUE);
    assertThat(typed.params().getConfidentialityLevelValue()).isEqualTo(1);
    assertThat(typed.params().getSecureContext()).isEqualTo("jim");
    assertThat(parse("{\"params\":{\"ctorMsg\":{\"function\":\"\",\"args\":[\"a\",null]}}}").params().getCtorMsg().getArgsCount())
        .isEqualTo(2);
  }

  @Test
  void hostileInputIsAParseErrorNotACrash() {
    String deep = "{\"params\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> parse(deep)).isInstanceOf(RpcParseException.class).hasMessageContaining("depth");
    byte[] badUtf8 = {'{', '"', 'm', 'e', 't', 'h', 'o', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertThatThrownBy(() -> RpcRequestParser.parse(badUtf8)).isInstanceOf(RpcParseException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void onlyUtf8BodiesAreReadAsTheOriginalsDecoderReadsThem() {
    String json = "{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"id\":1}";
    byte[] bom = ("\uFEFF" + json).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RpcRequestParser.parse(bom)).hasMessage("invalid character 'ï' looking for beginning of value");
    byte[] utf16 = json.getBytes(java.nio.charset.StandardCharsets.UTF_16); // with its byte-order mark FE FF
    assertThatThrownBy(() -> RpcRequestParser.parse(utf16)).hasMessage("invalid character 'þ' looking for beginning of value");
    byte[] utf16le = json.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> RpcRequestParser.parse(utf16le))
        .hasMessage("invalid character '\\x00' in the request: the body must be UTF-8 JSON");
    byte[] utf32 = json.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    assertThatThrownBy(() -> RpcRequestParser.parse(utf32)).isInstanceOf(RpcParseException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|unexpected end of JSON input",
      "`   `|unexpected end of JSON input",
      "`{\"jsonrpc\":\"2.0\"`|unexpected end of JSON input",
      "`[{\"jsonrpc\":\"2.0\"}]`|json: cannot unmarshal array into Go value of type rest.rpcRequest",
      "`\"x\"`|json: cannot unmarshal string into Go value of type rest.rpcRequest",
      "`{\"id\":{\"a\":1}}`|cannot unmarshal {\"a\":1} into Go value of type int64 or string",
      "`{\"id\":1.5}`|cannot unmarshal 1.5 into Go value of type int64 or string",
      "`{\"id\":true}`|cannot unmarshal true into Go value of type int64 or string",
      "`{\"id\":9223372036854775808}`|cannot unmarshal 9223372036854775808 into Go value of type int64 or string",
      "`{\"jsonrpc\":2.0}`|json: cannot unmarshal number into Go value of type string",
      "`{\"method\":[]}`|json: cannot unmarshal array into Go value of type string",
      "`{\"params\":5}`|json: cannot unmarshal number into Go value of type protos.ChaincodeSpec",
      "`{\"params\":{\"type\":\"GOLANG\"}}`|json: cannot unmarshal string into Go value of type protos.ChaincodeSpec_Type",
      "`{\"params\":{\"type\":1.5}}`|json: cannot unmarshal number 1.5 into Go value of type protos.ChaincodeSpec_Type",
      "`{\"params\":{\"ctorMsg\":{\"args\":[\"a\",1]}}}`|json: cannot unmarshal number into Go value of type string",
      "`{\"params\":{\"ctorMsg\":\"init\"}}`|json: cannot unmarshal string into Go value of type protos.strArgs",
      "`{\"params\":{\"chaincodeID\":[]}}`|json: cannot unmarshal array into Go value of type protos.ChaincodeID",
      "`{\"method\":1,\"id\":{}}`|cannot unmarshal {} into Go value of type int64 or string",
      "`{\"id\":{},\"method\":1` |unexpected end of JSON input",
      "`{} {}`|invalid character '{' after top-level value",
      "`{\"params\":{\"timeout\":2147483648}}`|json: cannot unmarshal number 2147483648 into Go value of type int32",
      "`{\"params\":{\"timeout\":1.5}}`|json: cannot unmarshal number 1.5 into Go value of type int32",
      "`{\"params\":{\"confidentialityLevel\":\"x\"}}`|json: cannot unmarshal string into Go value of type protos.ConfidentialityLevel",
      "`{\"params\":{\"secureContext\":7}}`|json: cannot unmarshal number into Go value of type string",
      "`{\"id\":-9223372036854775809}`|cannot unmarshal -9223372036854775809 into Go value of type int64 or string",
      "`{\"a\":x}`|invalid character 'x' looking for beginning of value",
  })
  void refusesWhatTheOriginalRefuses(String body, String message) {
    assertThatThrownBy(() -> parse(body)).isInstanceOf(RpcParseException.class).hasMessage(message);
  }
}
