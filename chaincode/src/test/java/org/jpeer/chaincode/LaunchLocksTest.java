package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class LaunchLocksTest {
  private final LaunchLocks locks = new LaunchLocks();

  @Test
  void aNamesLockIsGoneOnceNobodyHoldsOrAwaitsIt() throws Exception {
    try (LaunchLocks.Held a = locks.acquire("a", Duration.ofSeconds(1));
        LaunchLocks.Held b = locks.acquire("b")) {
      assertThat(locks.size()).isEqualTo(2);
    }
    assertThat(locks.size()).isZero();
    for (int i = 0; i < 1000; i++) {
      locks.acquire("cc" + i, Duration.ofSeconds(1)).close();
    }
    assertThat(locks.size()).as("one entry per name ever launched would leak").isZero();
  }

  @Test
  void oneNameIsLockedByOneThreadAtATimeAndAWaiterGivesUpAfterItsPatience() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
      try (LaunchLocks.Held h = locks.acquire("a")) {
        held.countDown();
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> locks.acquire("a", Duration.ofMillis(50)))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("the lock of a was not free within 50 ms");
    // another name is not held up, and the timed-out waiter left nothing behind
    locks.acquire("b", Duration.ofSeconds(1)).close();
    assertThat(locks.size()).isEqualTo(1);
    release.countDown();
    holder.get(30, TimeUnit.SECONDS);
    assertThat(locks.size()).isZero();
    locks.acquire("a", Duration.ofSeconds(1)).close();
  }
}
