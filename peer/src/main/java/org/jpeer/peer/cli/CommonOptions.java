package org.jpeer.peer.cli;

import picocli.CommandLine.Option;

/** Options every command accepts, as the original's persistent flags. */
final class CommonOptions {
  static final String LOGGING_LEVEL = "--logging-level";

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Help for this command.")
  boolean help;

  @Option(
      names = LOGGING_LEVEL,
      paramLabel = "LEVEL",
      description =
          "Default logging level and overrides, see core.yaml for full syntax:"
              + " CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG, or module=level:...:level.")
  String loggingLevel;
}
