package org.jpeer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {
  @Test
  void parsesGoDurations() {
    assertThat(GoDurations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDurations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDurations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(GoDurations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDurations.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(GoDurations.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
  }

  @Test
  void refusesWhatGoRefuses() {
    assertThatThrownBy(() -> GoDurations.parse("5")).hasMessageContaining("missing unit");
    assertThatThrownBy(() -> GoDurations.parse("1 s")).hasMessageContaining("unknown unit");
    assertThatThrownBy(() -> GoDurations.parse("1d")).hasMessageContaining("unknown unit");
    assertThatThrownBy(() -> GoDurations.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> GoDurations.parse("s")).hasMessageContaining("expected a number");
  }

  @Test
  void formatsLikeGo() {
    assertThat(GoDurations.format(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(GoDurations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDurations.format(Duration.ofSeconds(3601))).isEqualTo("1h0m1s");
    assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
