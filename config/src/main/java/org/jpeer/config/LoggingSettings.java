package org.jpeer.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logging keys: a level string per command family ({@code logging.node} for {@code peer node},
 * ...) and an optional override for all of them ({@code logging.level}, set by
 * {@code --logging-level} or {@code CORE_LOGGING_LEVEL}).
 *
 * @param perCommand the spec of each family in {@link #FAMILIES}
 * @param override the raw override, already checked to parse
 */
public record LoggingSettings(Map<String, LogSpec> perCommand, Optional<ConfigValue> override, Format format) {
  /** {@code logging.format}: readable lines, or one JSON object per line. */
  public enum Format { TEXT, JSON }

  public LoggingSettings(Map<String, LogSpec> perCommand, Optional<ConfigValue> override) {
    this(perCommand, override, Format.TEXT);
  }

  /** The command families with a {@code logging.<family>} key. */
  public static final List<String> FAMILIES =
      List.of("peer", "node", "network", "chaincode", "version");

  public LoggingSettings {
    perCommand = Map.copyOf(perCommand);
  }

  /**
   * The spec for a command family: the override if set (when it names only modules, the family's
   * own default level stays), else the family's own spec; an unknown family gets {@code peer}'s.
   */
  public LogSpec forCommand(String family) {
    LogSpec own = perCommand.getOrDefault(family, perCommand.get("peer"));
    return override.map(v -> LogSpec.parse(v, own.defaultLevel())).orElse(own);
  }

  static LoggingSettings from(Settings s) {
    Map<String, LogSpec> specs = new LinkedHashMap<>();
    for (String family : FAMILIES) {
      specs.put(family, LogSpec.parse(s.value("logging." + family), LogLevel.WARNING));
    }
    ConfigValue level = s.value("logging.level");
    Optional<ConfigValue> override = Optional.empty();
    if (!level.text().isBlank()) {
      LogSpec.parse(level, LogLevel.INFO); // fail at load, not when the first logger is set up
      override = Optional.of(level);
    }
    Format format = s.has("logging.format") && !s.string("logging.format").isBlank()
        ? s.oneOf("logging.format", Format.class) : Format.TEXT;
    return new LoggingSettings(specs, override, format);
  }
}
