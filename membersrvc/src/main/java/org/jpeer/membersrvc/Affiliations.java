package org.jpeer.membersrvc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jpeer.crypto.security.SecurityLevel;

/**
 * The affiliation groups ({@code eca.affiliations}) as a tree, and the TCA's pre-key of each group:
 * a top-level group's pre-key is the TCA's root pre-key, a child's is HMAC(parent's pre-key, its
 * name), as the original derives them (an auditor of a group can then derive the keys of all groups
 * below it).
 */
final class Affiliations {
  private final Map<String, String> parentOf;

  /** @param parentOf each group's parent, empty for a top-level group */
  Affiliations(Map<String, String> parentOf) {
    this.parentOf = Map.copyOf(parentOf);
  }

  /**
   * Reads the flattened YAML: {@code eca.affiliations.<top>.<child>} with a list of grand-children,
   * nested to any depth.
   */
  static Affiliations fromKeys(Map<String, List<String>> listsByPath) {
    Map<String, String> parents = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : listsByPath.entrySet()) {
      String[] path = e.getKey().split("\\.");
      String parent = "";
      for (String group : path) {
        parents.putIfAbsent(group, parent);
        parent = group;
      }
      for (String leaf : e.getValue()) {
        parents.putIfAbsent(leaf, parent);
      }
    }
    return new Affiliations(parents);
  }

  boolean contains(String name) {
    return parentOf.containsKey(name);
  }

  Map<String, String> parents() {
    return parentOf;
  }

  /** Every group's pre-key. */
  Map<String, byte[]> preKeys(SecurityLevel level, byte[] rootPreKey) {
    Map<String, byte[]> out = new HashMap<>();
    for (String g : parentOf.keySet()) {
      preKey(g, level, rootPreKey, out);
    }
    return out;
  }

  private byte[] preKey(String group, SecurityLevel level, byte[] rootPreKey, Map<String, byte[]> memo) {
    byte[] known = memo.get(group);
    if (known != null) {
      return known;
    }
    String parent = Optional.ofNullable(parentOf.get(group)).orElse("");
    byte[] k =
        parent.isEmpty()
            ? rootPreKey
            : level.hmac(preKey(parent, level, rootPreKey, memo), group.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    memo.put(group, k);
    return k;
  }
}
