package org.jpeer.membersrvc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EnrolmentLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void blocksAfterTheAllowedFailuresAndDoublesTheWait() {
    EnrolmentLimiter limiter = new EnrolmentLimiter(3, Duration.ofSeconds(1), 100, now::get);
    limiter.failed("bob");
    limiter.failed("bob");
    assertThat(limiter.waitFor("bob")).isZero();
    limiter.failed("bob");
    assertThat(limiter.waitFor("bob")).isEqualTo(Duration.ofSeconds(1));
    limiter.failed("bob");
    assertThat(limiter.waitFor("bob")).isEqualTo(Duration.ofSeconds(2));
    assertThat(limiter.waitFor("alice")).isZero();
    limiter.succeeded("bob");
    assertThat(limiter.waitFor("bob")).isZero();
  }

  @Test
  void aFloodOfMadeUpIdsNeitherLiftsABlockNorGrowsMemory() {
    EnrolmentLimiter limiter = new EnrolmentLimiter(3, Duration.ofHours(1), 100, now::get);
    for (int i = 0; i < 3; i++) {
      limiter.failed("bob");
    }
    for (int i = 0; i < 10_000; i++) {
      limiter.failed("fake" + i);
    }
    assertThat(limiter.waitFor("bob")).as("a blocked id stays blocked").isPositive();
    assertThat(limiter.tracked()).isLessThanOrEqualTo(100);
  }

  @Test
  void whenEveryTrackedIdIsBlockedTheUntrackedShareOneCounter() {
    EnrolmentLimiter limiter = new EnrolmentLimiter(2, Duration.ofHours(1), 10, now::get);
    for (int i = 0; i < 10; i++) {
      limiter.failed("blocked" + i);
      limiter.failed("blocked" + i);
    }
    limiter.failed("new1");
    assertThat(limiter.waitFor("new2")).isZero();
    limiter.failed("new2");
    assertThat(limiter.waitFor("new3")).as("the shared counter blocks ids it never saw").isPositive();
    assertThat(limiter.waitFor("blocked0")).isPositive();
    assertThat(limiter.tracked()).isLessThanOrEqualTo(11);
  }
}
