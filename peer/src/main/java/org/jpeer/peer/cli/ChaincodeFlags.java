package org.jpeer.peer.cli;

import picocli.CommandLine.Option;

/**
 * The flags of {@code peer chaincode deploy|invoke|query}, with the original's names and defaults.
 * An empty string means "not given", as the original's {@code UndefinedParamValue}.
 */
final class ChaincodeFlags {
  @Option(
      names = {"-c", "--ctor"},
      paramLabel = "JSON",
      description =
          "Constructor message for the chaincode in JSON format, e.g. {\"Args\":[\"init\",\"a\",\"100\"]}"
              + " or {\"Function\":\"init\",\"Args\":[\"a\",\"100\"]} (default: {}).")
  String ctor = "{}";

  @Option(
      names = {"-a", "--attributes"},
      paramLabel = "JSON",
      description = "User attributes for the chaincode in JSON format (default: []).")
  String attributes = "[]";

  @Option(
      names = {"-l", "--lang"},
      paramLabel = "LANG",
      description = "Language the chaincode is written in (default: golang).")
  String lang = "golang";

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description = "Name of the chaincode returned by the deploy transaction.")
  String name = "";

  @Option(
      names = {"-p", "--path"},
      paramLabel = "PATH",
      description = "Path to chaincode.")
  String path = "";

  @Option(
      names = {"-t", "--tid"},
      paramLabel = "ALG",
      description =
          "Name of a custom ID generation algorithm (hashing and decoding) e.g. sha256base64.")
  String tid = "";

  @Option(
      names = {"-u", "--username"},
      paramLabel = "USER",
      description = "Username for chaincode operations when security is enabled.")
  String username = "";
}
