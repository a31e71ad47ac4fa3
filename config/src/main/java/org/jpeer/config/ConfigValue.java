package org.jpeer.config;

import java.util.List;

/**
 * One leaf of a configuration tree as finally chosen: its key (spelled as in the bundled file), its
 * text, the items when the YAML value is a sequence, and where it came from (for error messages).
 *
 * @param key the dotted key path, e.g. {@code peer.validator.consensus.plugin}
 * @param text the scalar text; empty for YAML null; the items joined by commas for a sequence
 * @param items the items of a YAML sequence, or an empty list for a scalar
 * @param source where the value came from, e.g. {@code env CORE_PEER_ADDRESS}
 */
public record ConfigValue(String key, String text, List<String> items, String source) {
  public ConfigValue {
    items = List.copyOf(items);
  }

  static ConfigValue scalar(String key, String text, String source) {
    return new ConfigValue(key, text, List.of(), source);
  }
}
