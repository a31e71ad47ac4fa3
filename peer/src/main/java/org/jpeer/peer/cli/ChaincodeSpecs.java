package org.jpeer.peer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpeer.config.ConfigException;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.ConfidentialityLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link ChaincodeSpec} of a chaincode command from its flags, with the original's
 * checks in the original's order and its error texts (cli-and-config.md §3).
 */
final class ChaincodeSpecs {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeSpecs.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  static final String KEYS_RULE = "must contain the following keys: 'Args' or 'Function' and 'Args'";

  private ChaincodeSpecs() {}

  /**
   * The spec for deploy, invoke or query.
   *
   * @throws CliException with the original's text: a usage error for bad flags, a failure for a
   *     missing login token
   */
  static ChaincodeSpec build(ChaincodeFlags o, JpeerConfig config) throws CliException {
    checkParams(o);
    ChaincodeInput input = parseCtor(o.ctor);
    List<String> attributes = parseAttributes(o.attributes);
    ChaincodeSpec.Builder spec =
        ChaincodeSpec.newBuilder()
            .setType(language(o.lang))
            .setChaincodeID(ChaincodeID.newBuilder().setPath(o.path).setName(o.name))
            .setCtorMsg(input)
            .addAllAttributes(attributes);
    if (config.security().enabled()) {
      log.debug("Security is enabled. Include security context in deploy spec");
      if (o.username.isEmpty()) {
        throw CliException.usage("Must supply username for chaincode when security is enabled");
      }
      Path token = loginToken(config, o.username);
      if (!Files.exists(token)) {
        throw CliException.failure(
            "User '" + o.username + "' not logged in. Use the 'peer network login' command to obtain a security token.");
      }
      log.info("Local user '{}' is already logged in. Retrieving login token.", o.username);
      try {
        spec.setSecureContext(Files.readString(token, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw CliException.failure("Fatal error when reading client login token: " + e.getMessage(), e);
      }
      if (config.security().privacy()) {
        log.info("Set confidentiality level to CONFIDENTIAL.");
        spec.setConfidentialityLevel(ConfidentialityLevel.CONFIDENTIAL);
      }
    } else {
      if (!o.username.isEmpty()) {
        log.warn("Username supplied but security is disabled.");
      }
      if (config.security().privacy()) {
        throw CliException.failure("Privacy cannot be enabled as requested because security is disabled");
      }
    }
    return spec.build();
  }

  /**
   * {@code <peer.fileSystemPath>/client/loginToken_<user>}, where login writes it. The user name
   * must match {@code rest.validPatterns.enrollmentID}, as at the REST API, so that it can never
   * name a file outside that directory.
   */
  static Path loginToken(JpeerConfig config, String user) throws CliException {
    if (!config.rest().enrollmentIdPattern().matcher(user).matches() || user.contains("/") || user.contains("..")) {
      throw CliException.usage(
          "Invalid enrollment ID parameter: "
              + ConfigException.quote(user)
              + " does not match rest.validPatterns.enrollmentID "
              + config.rest().enrollmentIdPattern().pattern());
    }
    return config.peer().fileSystemPath().resolve("client").resolve("loginToken_" + user);
  }

  /** The original's checkChaincodeCmdParams. */
  static void checkParams(ChaincodeFlags o) throws CliException {
    if (o.name.isEmpty() && o.path.isEmpty()) {
      throw CliException.usage("Must supply value for chaincode path parameter.");
    }
    if (o.ctor.equals("{}")) {
      throw CliException.usage("Empty JSON chaincode parameters " + KEYS_RULE);
    }
    JsonNode ctor = readJson(o.ctor);
    if (!ctor.isObject()) {
      throw CliException.usage("Non-empty JSON chaincode parameters " + KEYS_RULE);
    }
    boolean args = false;
    boolean function = false;
    for (Iterator<String> it = ctor.fieldNames(); it.hasNext(); ) {
      String key = it.next().toLowerCase(Locale.ROOT);
      args |= key.equals("args");
      function |= key.equals("function");
    }
    int size = ctor.size();
    if (!args || (size == 2 && !function) || size > 2) {
      throw CliException.usage("Non-empty JSON chaincode parameters " + KEYS_RULE);
    }
    if (!o.attributes.equals("[]")) {
      readJson(o.attributes);
    }
  }

  /**
   * Parses {@code -c}: {@code {"Args":[...]}} or {@code {"Function":f,"Args":[...]}} (keys in any
   * case, as Go's JSON decoding matches them); the function becomes the first argument.
   */
  static ChaincodeInput parseCtor(String json) throws CliException {
    JsonNode ctor = readJson(json);
    if (!ctor.isObject()) {
      throw CliException.usage("Chaincode argument error: json: cannot unmarshal " + goType(ctor) + " into Go value of type shim.strArgs");
    }
    String function = "";
    List<String> args = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ctor.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey().toLowerCase(Locale.ROOT);
      JsonNode value = field.getValue();
      if (key.equals("function")) {
        function = value.isNull() ? "" : string(value);
      } else if (key.equals("args")) {
        args = strings(value);
      }
    }
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    if (!function.isEmpty()) {
      input.addArgs(ByteString.copyFromUtf8(function));
    }
    for (String arg : args) {
      input.addArgs(ByteString.copyFromUtf8(arg));
    }
    return input.build();
  }

  /** Parses {@code -a}: a JSON array of strings. */
  static List<String> parseAttributes(String json) throws CliException {
    return strings(readJson(json));
  }

  private static List<String> strings(JsonNode value) throws CliException {
    if (value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw CliException.usage(
          "Chaincode argument error: json: cannot unmarshal " + goType(value) + " into Go value of type []string");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      out.add(string(item));
    }
    return out;
  }

  private static String string(JsonNode value) throws CliException {
    if (!value.isTextual()) {
      throw CliException.usage(
          "Chaincode argument error: json: cannot unmarshal " + goType(value) + " into Go value of type string");
    }
    return value.textValue();
  }

  private static String goType(JsonNode node) {
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "bool";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isObject()) {
      return "object";
    }
    return "string";
  }

  /** Reads JSON, turning a syntax error into the original's {@code Chaincode argument error: ...}. */
  private static JsonNode readJson(String json) throws CliException {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw CliException.usage("Chaincode argument error: unexpected end of JSON input");
      }
      return node;
    } catch (JsonEOFException e) {
      throw CliException.usage("Chaincode argument error: unexpected end of JSON input");
    } catch (JsonProcessingException e) {
      throw CliException.usage("Chaincode argument error: invalid JSON: " + oneLine(e));
    }
  }

  private static String oneLine(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    message = message.replaceAll("\\s*\\R\\s*", " ");
    if (e.getLocation() != null) {
      message += " at offset " + e.getLocation().getCharOffset();
    }
    return message;
  }

  /** The original upper-cases {@code -l} and looks it up; an unknown language is UNDEFINED. */
  private static ChaincodeSpec.Type language(String lang) {
    String upper = lang.toUpperCase(Locale.ROOT);
    for (ChaincodeSpec.Type type : ChaincodeSpec.Type.values()) {
      if (type != ChaincodeSpec.Type.UNRECOGNIZED && type.name().equals(upper)) {
        return type;
      }
    }
    return ChaincodeSpec.Type.UNDEFINED;
  }
}
