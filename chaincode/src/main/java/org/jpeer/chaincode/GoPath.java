package org.jpeer.chaincode;

import java.util.Optional;

/**
 * A GOLANG {@code ChaincodeID.path} read the way the original reads it: Go's {@code url.Parse}
 * decides whether it has a scheme (ValidateSpec checks the existence of scheme-less paths only),
 * and a leading {@code http://} or {@code https://} marks code to {@code go get}.
 *
 * @param raw the path as given
 * @param scheme the URL scheme Go's parser finds, empty for an import path
 * @param remote whether the path starts with {@code http://} or {@code https://}
 * @param location the path without that prefix, as hashed and packaged
 */
record GoPath(String raw, String scheme, boolean remote, String location) {

  static GoPath parse(String raw) {
    String location = raw;
    boolean remote = false;
    if (raw.startsWith("http://")) {
      location = raw.substring(7);
      remote = true;
    } else if (raw.startsWith("https://")) {
      location = raw.substring(8);
      remote = true;
    }
    return new GoPath(raw, scheme(raw), remote, location);
  }

  /**
   * The original's {@code urlLocation}: {@link #location()} without one trailing {@code /}; what
   * the RUN line installs and step 3 of the package excludes.
   */
  String urlLocation() {
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }

  /** The last path element of {@link #urlLocation()}: the binary {@code go install} makes. */
  String lastElement() {
    String u = urlLocation();
    return u.substring(u.lastIndexOf('/') + 1);
  }

  /**
   * Go's {@code url.Parse} errors for the forms a chaincode path can plausibly take (a missing
   * scheme before {@code :}, a colon in the first segment of a relative path, a bad {@code %}
   * escape), worded as Go words them; empty when Go would accept the path.
   */
  static Optional<String> urlError(String raw) {
    String prefix = "parse " + raw + ": ";
    String noFragment = raw;
    String fragment = "";
    int hash = raw.indexOf('#');
    if (hash >= 0) {
      noFragment = raw.substring(0, hash);
      fragment = raw.substring(hash + 1);
    }
    if (!noFragment.isEmpty() && noFragment.charAt(0) == ':') {
      return Optional.of(prefix + "missing protocol scheme");
    }
    String scheme = scheme(noFragment);
    String rest = scheme.isEmpty() ? noFragment : noFragment.substring(scheme.length() + 1);
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return badEscape(fragment).map(e -> prefix + e); // opaque: not unescaped
      }
      int colon = rest.indexOf(':');
      int slash = rest.indexOf('/');
      if (colon >= 0 && (slash < 0 || colon < slash)) {
        return Optional.of(prefix + "first path segment in URL cannot contain colon");
      }
    }
    Optional<String> bad = badEscape(rest);
    return (bad.isPresent() ? bad : badEscape(fragment)).map(e -> prefix + e);
  }

  private static Optional<String> badEscape(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          String bad = s.substring(i, Math.min(s.length(), i + 3));
          return Optional.of("invalid URL escape \"" + bad + "\"");
        }
        i += 2;
      }
    }
    return Optional.empty();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Go's {@code getscheme}: letters, then letters, digits, {@code +-.}, up to a {@code :}. */
  private static String scheme(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          return "";
        }
        continue;
      }
      return c == ':' && i > 0 ? raw.substring(0, i) : "";
    }
    return "";
  }
}
