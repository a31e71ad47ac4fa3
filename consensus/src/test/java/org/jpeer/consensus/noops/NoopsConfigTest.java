package org.jpeer.consensus.noops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The value only: parsing and range checks of the keys are the configuration module's. */
class NoopsConfigTest {

  @Test
  void defaultsAreTheBundledNoopsYaml() {
    assertThat(NoopsConfig.DEFAULTS).isEqualTo(new NoopsConfig(500, Duration.ofSeconds(1)));
  }

  @Test
  void refusesWhatNoConfigurationCanProduce() {
    assertThatThrownBy(() -> new NoopsConfig(0, Duration.ofSeconds(1)))
        .hasMessage("noops block size must be at least 1, got 0");
    assertThatThrownBy(() -> new NoopsConfig(1, Duration.ZERO))
        .hasMessage("noops block wait must be a positive duration, got PT0S");
    assertThatThrownBy(() -> new NoopsConfig(1, null))
        .hasMessage("noops block wait must be a positive duration, got null");
    assertThat(new NoopsConfig(1, Duration.ofNanos(1)).blockSize()).isEqualTo(1);
  }
}
