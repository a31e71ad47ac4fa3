package org.jpeer.bench.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FanoutOptionsTest {
  @Test
  void defaultsAreTheTargetsLoad() {
    FanoutOptions o = FanoutOptions.parse(new String[0]);
    assertEquals(10, o.consumers());
    assertEquals(100, o.blockSize());
    assertEquals(5000, o.rate());
    assertEquals(Duration.ofMillis(20), o.period());
    assertEquals(650, o.totalBlocks()); // 3 s warm-up + 10 s at 50 blocks/s
  }

  @Test
  void theScheduleFollowsRateAndBlockSize() {
    FanoutOptions o = FanoutOptions.parse(new String[] {"--rate", "1000", "--block-size", "250", "--warmup", "0",
        "--duration", "5", "--consumers", "3"});
    assertEquals(Duration.ofMillis(250), o.period());
    assertEquals(20, o.totalBlocks());
    assertEquals(3, o.consumers());
  }

  @Test
  void badValuesAreExplained() {
    assertEquals("option --block-size: must be 1 to 9999, got 10000", assertThrows(IllegalArgumentException.class,
        () -> FanoutOptions.parse(new String[] {"--block-size", "10000"})).getMessage());
    assertEquals("option --rate: 'fast' is not a number", assertThrows(IllegalArgumentException.class,
        () -> FanoutOptions.parse(new String[] {"--rate", "fast"})).getMessage());
    assertEquals("option --consumers: must be 1 to 1000, got 0", assertThrows(IllegalArgumentException.class,
        () -> FanoutOptions.parse(new String[] {"--consumers", "0"})).getMessage());
    assertEquals("unknown option --sizes", assertThrows(IllegalArgumentException.class,
        () -> FanoutOptions.parse(new String[] {"--sizes", "1"})).getMessage());
  }
}
