package org.jpeer.config;

import java.util.Locale;
import java.util.Optional;

/** The original's level names, most severe first. */
public enum LogLevel {
  CRITICAL,
  ERROR,
  WARNING,
  NOTICE,
  INFO,
  DEBUG;

  /** Parses a level name case-insensitively. */
  public static Optional<LogLevel> parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (LogLevel level : values()) {
      if (level.name().equals(t)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
