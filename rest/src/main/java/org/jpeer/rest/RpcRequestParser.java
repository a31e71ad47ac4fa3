package org.jpeer.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.google.protobuf.ByteString;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeSpec;

/**
 * Decodes a POST /chaincode body the way the original's {@code json.Unmarshal} into its
 * {@code rpcRequest} does, so the same inputs are accepted and refused: member names match
 * case-insensitively, unknown members are ignored, {@code null} means absent, the id is a string
 * or a 64-bit integer, {@code ctorMsg} takes the legacy {@code function} form, {@code type} must
 * be a number and every {@code args} element a string. As in Go, a syntax error anywhere wins
 * over a type error, an error inside {@code id} or {@code ctorMsg} (custom decoders in the
 * original) wins over other type errors, and otherwise the first type error is reported.
 * Streaming, no data binding: this is on the hot path.
 */
final class RpcRequestParser {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("(?:Unexpected character \\('|Unrecognized token ')(.)");

  /** Per-parse error bookkeeping: Go aborts on custom-decoder errors but saves plain type errors. */
  private static final class Errors {
    String aborted;
    String saved;

    void abort(String message) {
      if (aborted == null) {
        aborted = message;
      }
    }

    void save(String message) {
      if (saved == null) {
        saved = message;
      }
    }
  }

  private RpcRequestParser() {}

  static RpcRequest parse(byte[] body) throws RpcParseException {
    String encoding = encodingProblem(body);
    if (encoding != null) {
      throw new RpcParseException(encoding);
    }
    Errors errors = new Errors();
    RpcRequest request;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new RpcParseException("unexpected end of JSON input");
      }
      if (t == JsonToken.START_OBJECT) {
        request = request(p, body, errors);
      } else {
        if (t != JsonToken.VALUE_NULL) {
          errors.save(typeError(t, "rest.rpcRequest"));
        }
        p.skipChildren();
        request = RpcRequest.EMPTY;
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new RpcParseException("invalid character " + quoteChar(p.getText()) + " after top-level value");
      }
    } catch (JsonEOFException e) {
      throw new RpcParseException("unexpected end of JSON input");
    } catch (JsonParseException e) {
      throw new RpcParseException(syntaxMessage(e));
    } catch (IOException e) {
      throw new RpcParseException(e.getMessage());
    }
    if (errors.aborted != null) {
      throw new RpcParseException(errors.aborted);
    }
    if (errors.saved != null) {
      throw new RpcParseException(errors.saved);
    }
    return request;
  }

  /**
   * Go's decoder reads UTF-8 only: a byte-order mark or UTF-16/UTF-32 text (which has NUL bytes) is
   * an invalid character to it, while Jackson would detect the encoding and execute the request.
   */
  static String encodingProblem(byte[] body) {
    if (body.length >= 2 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB) {
      return "invalid character 'ï' looking for beginning of value";
    }
    if (body.length >= 2 && (body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF) {
      return "invalid character 'þ' looking for beginning of value";
    }
    if (body.length >= 2 && (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE) {
      return "invalid character 'ÿ' looking for beginning of value";
    }
    for (byte b : body) {
      if (b == 0) {
        return "invalid character '\\x00' in the request: the body must be UTF-8 JSON";
      }
    }
    return null;
  }

  private static RpcRequest request(JsonParser p, byte[] body, Errors errors) throws IOException {
    String jsonrpc = null;
    String method = null;
    ChaincodeSpec.Builder params = null;
    RpcId id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equalsIgnoreCase("jsonrpc")) {
        jsonrpc = t == JsonToken.VALUE_NULL ? null : string(p, t, errors, jsonrpc);
      } else if (name.equalsIgnoreCase("method")) {
        method = t == JsonToken.VALUE_NULL ? null : string(p, t, errors, method);
      } else if (name.equalsIgnoreCase("params")) {
        if (t == JsonToken.VALUE_NULL) {
          params = null;
        } else if (t == JsonToken.START_OBJECT) {
          params = spec(p, params == null ? ChaincodeSpec.newBuilder() : params, errors);
        } else {
          errors.save(typeError(t, "protos.ChaincodeSpec"));
          p.skipChildren();
        }
      } else if (name.equalsIgnoreCase("id")) {
        id = t == JsonToken.VALUE_NULL ? null : id(p, t, body, errors, id);
      } else {
        p.skipChildren();
      }
    }
    return new RpcRequest(jsonrpc, method, params == null ? null : params.build(), id);
  }

  private static RpcId id(JsonParser p, JsonToken t, byte[] body, Errors errors, RpcId previous) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return new RpcId.Text(p.getText());
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return new RpcId.Number(p.getLongValue());
    }
    int start = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    int end = (int) p.currentLocation().getByteOffset();
    String raw = start >= 0 && end >= start && end <= body.length
        ? new String(body, start, end - start, StandardCharsets.UTF_8)
        : p.getText();
    errors.abort("cannot unmarshal " + raw + " into Go value of type int64 or string");
    return previous;
  }

  private static ChaincodeSpec.Builder spec(JsonParser p, ChaincodeSpec.Builder spec, Errors errors) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        // Go leaves a field untouched on null, except pointers, which it clears.
        if (name.equalsIgnoreCase("chaincodeID")) {
          spec.clearChaincodeID();
        } else if (name.equalsIgnoreCase("ctorMsg")) {
          spec.clearCtorMsg();
        } else if (name.equalsIgnoreCase("metadata")) {
          spec.clearMetadata();
        } else if (name.equalsIgnoreCase("attributes")) {
          spec.clearAttributes();
        }
        continue;
      }
      if (name.equalsIgnoreCase("type")) {
        Integer v = int32(p, t, errors, "protos.ChaincodeSpec_Type");
        if (v != null) {
          spec.setTypeValue(v);
        }
      } else if (name.equalsIgnoreCase("chaincodeID")) {
        if (t == JsonToken.START_OBJECT) {
          spec.setChaincodeID(chaincodeId(p, spec.getChaincodeID().toBuilder(), errors));
        } else {
          errors.save(typeError(t, "protos.ChaincodeID"));
          p.skipChildren();
        }
      } else if (name.equalsIgnoreCase("ctorMsg")) {
        ChaincodeInput ctor = ctor(p, t, errors);
        if (ctor != null) {
          spec.setCtorMsg(ctor);
        }
      } else if (name.equalsIgnoreCase("timeout")) {
        Integer v = int32(p, t, errors, "int32");
        if (v != null) {
          spec.setTimeout(v);
        }
      } else if (name.equalsIgnoreCase("secureContext")) {
        spec.setSecureContext(string(p, t, errors, spec.getSecureContext()));
      } else if (name.equalsIgnoreCase("confidentialityLevel")) {
        Integer v = int32(p, t, errors, "protos.ConfidentialityLevel");
        if (v != null) {
          spec.setConfidentialityLevelValue(v);
        }
      } else if (name.equalsIgnoreCase("metadata")) {
        if (t == JsonToken.VALUE_STRING) {
          try {
            spec.setMetadata(ByteString.copyFrom(Base64.getDecoder().decode(p.getText())));
          } catch (IllegalArgumentException e) {
            errors.save("illegal base64 data in metadata: " + e.getMessage());
          }
        } else {
          errors.save(typeError(t, "[]uint8"));
          p.skipChildren();
        }
      } else if (name.equalsIgnoreCase("attributes")) {
        List<String> attributes = strings(p, t, errors, false);
        if (attributes != null) {
          spec.clearAttributes().addAllAttributes(attributes);
        }
      } else {
        p.skipChildren();
      }
    }
    return spec;
  }

  private static ChaincodeID chaincodeId(JsonParser p, ChaincodeID.Builder id, Errors errors) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      if (name.equalsIgnoreCase("path")) {
        id.setPath(string(p, t, errors, id.getPath()));
      } else if (name.equalsIgnoreCase("name")) {
        id.setName(string(p, t, errors, id.getName()));
      } else {
        p.skipChildren();
      }
    }
    return id.build();
  }

  /**
   * The original's ChaincodeInput decoder reads {@code {"function":..,"args":[..]}} with string
   * arguments and prepends a non-empty function to the args. Its errors abort decoding.
   */
  private static ChaincodeInput ctor(JsonParser p, JsonToken t, Errors errors) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      errors.abort(typeError(t, "protos.strArgs"));
      p.skipChildren();
      return null;
    }
    Errors inner = new Errors();
    String function = "";
    List<String> args = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NULL) {
        if (name.equalsIgnoreCase("args")) {
          args = null;
        }
        continue;
      }
      if (name.equalsIgnoreCase("function")) {
        function = string(p, v, inner, function);
      } else if (name.equalsIgnoreCase("args")) {
        List<String> read = strings(p, v, inner, true);
        if (read != null) {
          args = read;
        }
      } else {
        p.skipChildren();
      }
    }
    if (inner.saved != null) {
      errors.abort(inner.saved);
      return null;
    }
    ChaincodeInput.Builder ctor = ChaincodeInput.newBuilder();
    if (!function.isEmpty()) {
      ctor.addArgs(ByteString.copyFromUtf8(function));
    }
    if (args != null) {
      for (String a : args) {
        ctor.addArgs(ByteString.copyFromUtf8(a));
      }
    }
    return ctor.build();
  }

  private static List<String> strings(JsonParser p, JsonToken t, Errors errors, boolean inCtor) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      errors.save(typeError(t, "[]string"));
      p.skipChildren();
      return null;
    }
    List<String> out = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e == JsonToken.VALUE_STRING) {
        out.add(p.getText());
      } else if (e == JsonToken.VALUE_NULL) {
        out.add("");
      } else {
        errors.save(typeError(e, "string"));
        p.skipChildren();
        out.add("");
      }
    }
    return out;
  }

  private static String string(JsonParser p, JsonToken t, Errors errors, String previous) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    errors.save(typeError(t, "string"));
    p.skipChildren();
    return previous;
  }

  private static Integer int32(JsonParser p, JsonToken t, Errors errors, String goType) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
        return p.getIntValue();
      }
      errors.save("json: cannot unmarshal number " + p.getText() + " into Go value of type " + goType);
      return null;
    }
    errors.save(typeError(t, goType));
    p.skipChildren();
    return null;
  }

  private static String typeError(JsonToken t, String goType) {
    String kind = switch (t) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_TRUE, VALUE_FALSE -> "bool";
      default -> "number";
    };
    return "json: cannot unmarshal " + kind + " into Go value of type " + goType;
  }

  private static String syntaxMessage(JsonParseException e) {
    Matcher m = UNEXPECTED_CHAR.matcher(e.getOriginalMessage());
    if (m.find()) {
      return "invalid character " + quoteChar(m.group(1)) + " looking for beginning of value";
    }
    return "invalid JSON: " + e.getOriginalMessage();
  }

  private static String quoteChar(String text) {
    return "'" + (text == null || text.isEmpty() ? "?" : text.substring(0, 1)) + "'";
  }
}
