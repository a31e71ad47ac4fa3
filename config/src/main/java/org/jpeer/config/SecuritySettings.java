package org.jpeer.config;

/** The {@code security.*} keys the CLI and devops read. */
public record SecuritySettings(boolean enabled, boolean privacy, String enrollId, String enrollSecret) {

  static SecuritySettings from(Settings s) {
    return new SecuritySettings(
        s.bool("security.enabled"),
        s.bool("security.privacy"),
        s.string("security.enrollID"),
        s.string("security.enrollSecret"));
  }
}
