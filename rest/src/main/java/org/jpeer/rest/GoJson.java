package org.jpeer.rest;

/**
 * Writes JSON strings byte for byte as Go's {@code encoding/json} does, which is what the original
 * REST server used: {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as a backslash-u
 * sequence, control characters as backslash-n, -r, -t or a backslash-u sequence, lone surrogates
 * replaced by U+FFFD.
 */
final class GoJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJson() {}

  static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int plain = 0;
    while (plain < n && isPlain(s.charAt(plain))) {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicode(out, c);
        default -> {
          if (c < 0x20) {
            unicode(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append('\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** Characters Go writes unchanged (surrogates are checked in pairs by the slow path). */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c < 0x2028
        || c > 0x2029 && !Character.isSurrogate(c);
  }

  static String quote(String s) {
    return string(new StringBuilder(s.length() + 8), s).toString();
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
  }
}
