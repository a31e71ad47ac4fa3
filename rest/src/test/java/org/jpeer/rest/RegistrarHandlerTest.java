package org.jpeer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrarHandlerTest {
  @TempDir Path dir;

  @Test
  void aPermissivePatternStillCannotReachOutsideTheTokenFolders() {
    RegistrarHandler handler = new RegistrarHandler(dir, Pattern.compile(".*"), 1024, java.util.Optional.empty());

    assertThat(handler.valid("jim")).isTrue();
    assertThat(handler.valid("..")).isFalse();
    assertThat(handler.valid(".")).isFalse();
  }

  @Test
  void theDefaultPatternIsTheOriginals() {
    RegistrarHandler handler = new RegistrarHandler(dir, RestOptions.DEFAULT_ENROLLMENT_ID_PATTERN, 1024, java.util.Optional.empty());

    assertThat(handler.valid("test_user0")).isTrue();
    assertThat(handler.valid("a.b")).isFalse();
    assertThat(handler.valid("")).isFalse();
  }
}
