package org.jpeer.shim;

import java.nio.charset.StandardCharsets;

/** One entry of a range query. */
public record KeyValue(String key, byte[] value) {
  public String stringValue() {
    return new String(value, StandardCharsets.UTF_8);
  }
}
