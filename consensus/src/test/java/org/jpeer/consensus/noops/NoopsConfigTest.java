package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoopsConfigTest {

  @Test
  void parsesGoDurationsAndBareSeconds() {
    assertThat(NoopsConfig.parse("500", "1s")).isEqualTo(NoopsConfig.DEFAULTS);
    assertThat(NoopsConfig.parse("10", "250ms").blockWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(NoopsConfig.parse("10", "1m30s").blockWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(NoopsConfig.parse("10", "2").blockWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(NoopsConfig.parse("10", "1.5s").blockWait()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void sizeBelowOneMeansOne() {
    assertThat(NoopsConfig.parse("0", "1s").blockSize()).isEqualTo(1);
    assertThat(NoopsConfig.parse("-3", "1s").blockSize()).isEqualTo(1);
  }

  @Test
  void zeroOrUnparsableWaitIsRefusedWithTheValue() {
    assertThatThrownBy(() -> NoopsConfig.parse("1", "0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> NoopsConfig.parse("1", "soon")).hasMessageContaining("'soon'");
    assertThatThrownBy(() -> NoopsConfig.parse("x", "1s")).hasMessageContaining("'x'");
  }
}
