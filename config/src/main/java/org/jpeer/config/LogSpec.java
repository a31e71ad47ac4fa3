package org.jpeer.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed logging level string {@code module=level:module=level:defaultLevel}, as Fabric v0.6
 * accepts in {@code --logging-level}, {@code CORE_LOGGING_LEVEL} and {@code logging.*}.
 *
 * @param defaultLevel the level for everything without its own override
 * @param modules per-module levels, by module name as written (e.g. {@code consensus/pbft})
 */
public record LogSpec(LogLevel defaultLevel, Map<String, LogLevel> modules) {
  public LogSpec {
    modules = Map.copyOf(modules);
  }

  /**
   * Parses a level string. A string with only module overrides keeps {@code fallback} as its
   * default level.
   *
   * @throws ConfigException naming the value and the allowed level names
   */
  static LogSpec parse(ConfigValue value, LogLevel fallback) {
    LogLevel level = fallback;
    Map<String, LogLevel> modules = new LinkedHashMap<>();
    for (String part : value.text().split(":")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        level = levelOf(value, part);
      } else {
        String module = part.substring(0, eq).trim();
        if (module.isEmpty()) {
          throw ConfigException.invalid(value, "expected module=level with a module name before '='");
        }
        modules.put(module, levelOf(value, part.substring(eq + 1)));
      }
    }
    return new LogSpec(level, modules);
  }

  private static LogLevel levelOf(ConfigValue value, String name) {
    return LogLevel.parse(name)
        .orElseThrow(
            () ->
                ConfigException.invalid(
                    value,
                    "unknown level "
                        + ConfigException.quote(name.trim())
                        + "; levels are CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG"
                        + " (any case), optionally as module=level:...:level"));
  }
}
