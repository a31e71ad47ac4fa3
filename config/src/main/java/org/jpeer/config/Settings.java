package org.jpeer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One immutable configuration tree (core, noops or pbft) after merging the bundled file, a user's
 * file, the environment and flags, with typed accessors. Keys are matched case-insensitively,
 * because Fabric's keys mix cases ({@code general.N}, {@code hostConfig.NetworkMode}) while
 * environment variables are upper case.
 *
 * <p>Every accessor throws {@link ConfigException} with a one-line message naming the key, its
 * source, the bad value and what is allowed.
 */
public final class Settings {
  private final String name;
  private final Map<String, ConfigValue> byLowerKey;
  private final Path home;

  /**
   * @param home what a leading {@code ~} in a path means: {@code $HOME}, as in a shell
   */
  Settings(String name, Map<String, ConfigValue> byLowerKey, Path home) {
    this.name = name;
    this.byLowerKey = Collections.unmodifiableMap(byLowerKey);
    this.home = home;
  }

  /** The name of this tree: {@code core}, {@code noops} or {@code pbft}. */
  public String name() {
    return name;
  }

  /** All keys, spelled as in the file that defined them, sorted. */
  public Set<String> keys() {
    return byLowerKey.values().stream()
        .map(ConfigValue::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Whether the key exists in this tree. */
  public boolean has(String key) {
    return byLowerKey.containsKey(key.toLowerCase(Locale.ROOT));
  }

  /** The chosen value of a key with its source. */
  public ConfigValue value(String key) {
    ConfigValue v = byLowerKey.get(key.toLowerCase(Locale.ROOT));
    if (v == null) {
      throw new ConfigException("configuration key " + key + " is missing from the " + name + " settings");
    }
    return v;
  }

  /** The text of a key; empty when the YAML value is null. */
  public String string(String key) {
    return value(key).text();
  }

  /** The text of a key, which must not be blank. */
  public String nonBlank(String key) {
    ConfigValue v = value(key);
    if (v.text().isBlank()) {
      throw ConfigException.invalid(v, "a non-empty value is required");
    }
    return v.text().trim();
  }

  /**
   * The items of a list: a YAML sequence, or a scalar split at commas (the only form an
   * environment variable can take). Blank items are dropped.
   */
  public List<String> list(String key) {
    ConfigValue v = value(key);
    List<String> raw = v.items().isEmpty() ? Arrays.asList(v.text().split(",")) : v.items();
    return raw.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A boolean as Go's strconv.ParseBool reads it: true/false, t/f, 1/0, any case. */
  public boolean bool(String key) {
    ConfigValue v = value(key);
    return switch (v.text().trim().toLowerCase(Locale.ROOT)) {
      case "true", "t", "1" -> true;
      case "false", "f", "0" -> false;
      default -> throw ConfigException.invalid(v, "expected true or false");
    };
  }

  /** An integer within [min, max]. */
  public int intIn(String key, int min, int max) {
    return (int) longIn(key, min, max);
  }

  /** A long within [min, max]. */
  public long longIn(String key, long min, long max) {
    ConfigValue v = value(key);
    String allowed = "expected a whole number from " + min + " to " + max;
    long n;
    try {
      n = Long.parseLong(v.text().trim());
    } catch (NumberFormatException e) {
      throw ConfigException.invalid(v, allowed);
    }
    if (n < min || n > max) {
      throw ConfigException.invalid(v, allowed);
    }
    return n;
  }

  /**
   * A non-negative duration written as a Go duration ({@code 1s}, {@code 500ms}, {@code 2m}), or as
   * a bare whole number counted in {@code bareUnit}, as the original reads some keys (milliseconds
   * for chaincode timeouts, seconds for the noops block wait).
   *
   * @param bareUnit the unit of a bare number, or {@code null} when only Go durations are allowed
   */
  public Duration duration(String key, ChronoUnit bareUnit) {
    ConfigValue v = value(key);
    String text = v.text().trim();
    String allowed =
        bareUnit == null
            ? "expected a non-negative Go duration such as 500ms, 1s or 2m"
            : "expected a non-negative Go duration such as 500ms, 1s or 2m, or a whole number of "
                + bareUnit.toString().toLowerCase(Locale.ROOT);
    if (bareUnit != null && !text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.of(Long.parseLong(text), bareUnit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw ConfigException.invalid(v, allowed);
      }
    }
    Duration d;
    try {
      d = GoDurations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(v, allowed + " (" + e.getMessage() + ")");
    }
    if (d.isNegative()) {
      throw ConfigException.invalid(v, allowed);
    }
    return d;
  }

  /** A duration as {@link #duration} that must be longer than zero (a period or a timeout). */
  public Duration positiveDuration(String key) {
    Duration d = duration(key, null);
    if (d.isZero()) {
      throw ConfigException.invalid(value(key), "expected a Go duration longer than zero such as 500ms, 1s or 2m");
    }
    return d;
  }

  /**
   * A comma-separated list of {@code host:port} addresses (blank items dropped); each must name a
   * port other than 0, since it is dialled.
   */
  public List<HostPort> addresses(String key) {
    List<HostPort> out = new ArrayList<>();
    for (String item : list(key)) {
      HostPort hp;
      try {
        hp = HostPort.parse(item);
      } catch (IllegalArgumentException e) {
        throw ConfigException.invalid(value(key), "expected comma-separated host:port addresses; "
            + ConfigException.quote(item) + " is not one (" + e.getMessage() + ")");
      }
      if (hp.port() == 0) {
        throw ConfigException.invalid(value(key), "expected comma-separated host:port addresses to dial; "
            + ConfigException.quote(item) + " has port 0");
      }
      out.add(hp);
    }
    return List.copyOf(out);
  }

  /** A {@code host:port} address; port 0 is allowed and means any free port when listening. */
  public HostPort address(String key) {
    ConfigValue v = value(key);
    try {
      return HostPort.parse(v.text());
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(
          v, "expected host:port with a port from 0 to 65535, 0 = any free port (" + e.getMessage() + ")");
    }
  }

  /**
   * One of a fixed set of values: the enum constant whose name matches the text case-insensitively
   * (so {@code pbft} gives {@code PBFT}).
   */
  public <E extends Enum<E>> E oneOf(String key, Class<E> type) {
    ConfigValue v = value(key);
    String text = v.text().trim();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(c -> c.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw ConfigException.invalid(v, "allowed values are " + allowed);
  }

  /**
   * A file-system path; a leading {@code ~/} means the user's home directory ({@code $HOME}), a
   * relative path is taken relative to the working directory.
   */
  public Path path(String key) {
    String text = nonBlank(key);
    try {
      if (text.equals("~")) {
        return home;
      }
      if (text.startsWith("~/")) {
        return home.resolve(text.substring(2)).normalize();
      }
      return Path.of(text).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw ConfigException.invalid(value(key), "expected a file-system path (" + e.getReason() + ")");
    }
  }

  @Override
  public String toString() {
    return name + " settings " + keys();
  }
}
