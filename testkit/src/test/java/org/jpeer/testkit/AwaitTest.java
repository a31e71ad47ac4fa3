package org.jpeer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsOnceTheConditionHoldsAndGivesBackTheResult() {
    AtomicInteger calls = new AtomicInteger();
    Await.until("the third check", Duration.ofSeconds(10), () -> calls.incrementAndGet() == 3);
    assertThat(calls).hasValue(3);
    assertThat(Await.result("a value", Duration.ofSeconds(10), () -> calls.incrementAndGet() == 5 ? "five" : null))
        .isEqualTo("five");
  }

  @Test
  void aDeadlineFailsWithWhatWasAwaitedAndTheWatchedContext() {
    assertThatThrownBy(() -> Await.until("never", Duration.ofMillis(30), () -> false,
        Await.describing(() -> "the log says why")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("timed out after PT0.03S waiting until never\nthe log says why");
  }

  @Test
  void aHopelessWatchFailsAtOnceButAConditionThatHeldStillCounts() {
    Await.Watch gone = new Await.Watch() {
      @Override
      public String hopeless() {
        return "the peer exited with 1";
      }

      @Override
      public String describe() {
        return "its output";
      }
    };
    assertThatThrownBy(() -> Await.until("ready", Duration.ofHours(1), () -> false, gone))
        .hasMessage("gave up waiting until ready: the peer exited with 1\nits output");
    Await.until("already true", Duration.ofHours(1), () -> true, gone);
  }

  @Test
  void aFailingCheckFailsTheWait() {
    assertThatThrownBy(() -> Await.until("a read", Duration.ofHours(1), () -> {
      throw new java.io.IOException("disk gone");
    })).hasMessage("checking whether a read failed: java.io.IOException: disk gone")
        .hasCauseInstanceOf(java.io.IOException.class);
  }
}
