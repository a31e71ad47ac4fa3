package org.jpeer.peer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.config.ConfigInputs;
import org.jpeer.config.Flag;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.logging.LogFormat;
import org.jpeer.peer.logging.LogLevels;

/**
 * What every command needs from its surroundings: the environment and working directory for the
 * configuration, the global {@code --logging-level}, and the output streams. Passed in explicitly
 * so that tests run commands in-process without touching the real environment.
 */
final class CliContext {
  private final Map<String, String> env;
  private final Path workingDir;
  private final PrintStream out;
  private final PrintStream err;
  private String loggingLevel;

  CliContext(Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
    this.out = out;
    this.err = err;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  void loggingLevel(String level) {
    this.loggingLevel = level;
  }

  /**
   * Loads the configuration with the command's flags and sets the log levels of the command family
   * ({@code node}, {@code chaincode}, {@code network}, {@code version}).
   *
   * @throws org.jpeer.config.ConfigException on any bad value
   */
  JpeerConfig loadConfig(String family, List<Flag> flags) {
    List<Flag> all = new ArrayList<>(flags);
    if (loggingLevel != null) {
      all.add(new Flag("logging.level", loggingLevel, "--logging-level"));
    }
    JpeerConfig config = JpeerConfig.load(new ConfigInputs(env, workingDir, all));
    LogFormat.apply(config.logging().format());
    LogLevels.apply(config.logging().forCommand(family));
    return config;
  }
}
