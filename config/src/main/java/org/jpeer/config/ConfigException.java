package org.jpeer.config;

/**
 * A configuration value is missing, malformed or out of range. The message is one line naming the
 * key, where the value came from, the bad value and what is allowed, so that the CLI can print it
 * as {@code Error: <message>} without a stack trace.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The standard message for a value that does not parse or is out of range. */
  public static ConfigException invalid(ConfigValue value, String allowed) {
    return new ConfigException(
        "invalid value "
            + quote(value.text())
            + " for "
            + value.key()
            + " (from "
            + value.source()
            + "): "
            + allowed);
  }

  /** Quotes a value for an error line: newlines and control characters are escaped, long values cut. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(text.length(), 120);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > limit) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
