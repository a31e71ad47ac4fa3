package org.jpeer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds one {@link Settings} tree from its layers, weakest first: the bundled YAML, the user's
 * YAML, environment variables with the tree's prefix, then flags.
 */
final class SettingsLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String name;
  private final String envPrefix;
  private final Map<String, ConfigValue> values = new LinkedHashMap<>();

  /**
   * @param name {@code core}, {@code noops} or {@code pbft}
   * @param envPrefix e.g. {@code CORE_} or {@code CORE_PBFT_}
   */
  SettingsLoader(String name, String envPrefix) {
    this.name = name;
    this.envPrefix = envPrefix;
  }

  /** Reads the bundled defaults from a class-path resource next to this class. */
  SettingsLoader bundled(String resource) {
    try (InputStream in = SettingsLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled configuration " + resource + " missing from the class path");
      }
      merge(parse(in.readAllBytes(), "bundled " + resource), "bundled " + resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled configuration " + resource, e);
    }
    return this;
  }

  /** Overrides key by key with a user's file, if it exists. */
  SettingsLoader userFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return this;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    String source = "file " + file;
    merge(parse(bytes, file.toString()), source);
    return this;
  }

  /**
   * Overrides with environment variables: {@code <prefix><KEY PATH UPPER-CASED, '.' -> '_'>}.
   * Variables that name no known key are ignored, as the original ignores them.
   */
  SettingsLoader environment(Map<String, String> env) {
    Map<String, String> envNameToLowerKey = new HashMap<>();
    for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
      envNameToLowerKey.put(envPrefix + e.getKey().toUpperCase(Locale.ROOT).replace('.', '_'), e.getKey());
    }
    // sorted, so that the outcome never depends on the map's iteration order
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String lowerKey = envNameToLowerKey.get(e.getKey().toUpperCase(Locale.ROOT));
      if (lowerKey != null) {
        String key = values.get(lowerKey).key();
        values.put(lowerKey, ConfigValue.scalar(key, e.getValue(), "env " + e.getKey()));
      }
    }
    return this;
  }

  /** Overrides with command-line flags; a flag must name a known key. */
  SettingsLoader flags(List<Flag> flags) {
    for (Flag f : flags) {
      String lowerKey = f.key().toLowerCase(Locale.ROOT);
      ConfigValue old = values.get(lowerKey);
      if (old == null) {
        throw new ConfigException("unknown configuration key " + f.key() + " (from flag " + f.flagName() + ")");
      }
      values.put(lowerKey, ConfigValue.scalar(old.key(), f.value(), "flag " + f.flagName()));
    }
    return this;
  }

  Settings build(Path home) {
    return new Settings(name, new LinkedHashMap<>(values), home);
  }

  private void merge(Map<String, ConfigValue> layer, String source) {
    for (ConfigValue v : layer.values()) {
      String lowerKey = v.key().toLowerCase(Locale.ROOT);
      ConfigValue old = values.get(lowerKey);
      // keep the bundled spelling of a known key, whatever case the user wrote it in
      String key = old == null ? v.key() : old.key();
      values.put(lowerKey, new ConfigValue(key, v.text(), v.items(), source));
    }
  }

  private static Map<String, ConfigValue> parse(byte[] yaml, String where) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      // SnakeYAML appends its own position and an excerpt; the position is already in `at`
      String problem = e.getOriginalMessage() == null ? null : e.getOriginalMessage().replaceFirst("(?s)\\s+in 'reader'.*$", "");
      throw new ConfigException("malformed YAML in " + where + at + ": " + oneLine(problem), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + where + ": " + oneLine(e.getMessage()), e);
    }
    Map<String, ConfigValue> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out; // an empty file overrides nothing
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "malformed configuration in " + where + ": the top level must be a mapping of keys, not " + kind(root));
    }
    flatten("", root, out, where);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, ConfigValue> out, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject() && value.size() > 0) {
        flatten(key, value, out, where);
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
          if (item.isContainerNode()) {
            throw new ConfigException(
                "malformed configuration in " + where + ": " + key + " must be a list of plain values");
          }
          items.add(item.isNull() ? "" : item.asText());
        }
        out.put(key.toLowerCase(Locale.ROOT), new ConfigValue(key, String.join(",", items), items, where));
      } else {
        String text = value.isNull() || value.isObject() ? "" : value.asText();
        out.put(key.toLowerCase(Locale.ROOT), ConfigValue.scalar(key, text, where));
      }
    }
  }

  private static String kind(JsonNode node) {
    return node.isArray() ? "a list" : "a single value " + ConfigException.quote(node.asText());
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
