package org.jpeer.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The {@code rest.*} keys. */
public record RestSettings(boolean enabled, HostPort address, Pattern enrollmentIdPattern) {

  static RestSettings from(Settings s) {
    String pattern = s.string("rest.validPatterns.enrollmentID");
    Pattern compiled;
    try {
      compiled = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw ConfigException.invalid(
          s.value("rest.validPatterns.enrollmentID"), "expected a regular expression (" + e.getDescription() + ")");
    }
    return new RestSettings(s.bool("rest.enabled"), s.address("rest.address"), compiled);
  }
}
