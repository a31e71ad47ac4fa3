package org.jpeer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything configuration is read from besides the bundled defaults. Passed in rather than read
 * from {@link System#getenv()} so that tests need not change the real environment.
 *
 * @param env the process environment ({@code PEER_CFG_PATH}, {@code CORE_*})
 * @param workingDir where to look for a user's files when {@code PEER_CFG_PATH} is not set
 * @param flags values from the command line, strongest of all; a key starting with {@code noops.}
 *     or {@code pbft.} sets that tree's key ({@code pbft.general.N}), any other a core.yaml key
 */
public record ConfigInputs(Map<String, String> env, Path workingDir, List<Flag> flags) {
  public ConfigInputs {
    env = Map.copyOf(env);
    flags = List.copyOf(flags);
  }

  /** The real environment and working directory, with the given flags. */
  public static ConfigInputs ofProcess(List<Flag> flags) {
    return new ConfigInputs(System.getenv(), Path.of("").toAbsolutePath(), flags);
  }
}
