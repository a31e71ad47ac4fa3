package org.jpeer.crypto.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's bookkeeping against a scripted batch source (the real TCA path, certificates and key
 * derivation, is covered end to end by SecuredPeerTest against a real membership service).
 */
class TCertPoolTest {
  private final ExecutorService fetcher = Executors.newCachedThreadPool();
  private final AtomicInteger serial = new AtomicInteger();
  private final AtomicInteger fetches = new AtomicInteger();

  @AfterEach
  void stop() {
    fetcher.shutdownNow();
  }

  private List<TCertKey> batch(int count) {
    fetches.incrementAndGet();
    List<TCertKey> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new TCertKey(Integer.toString(serial.incrementAndGet()).getBytes(), null));
    }
    return out;
  }

  private static String name(TCertKey k) {
    return new String(k.certDer());
  }

  @Test
  void theNextBatchIsFetchedWhileTheRestOfThisOneIsStillHandedOut() throws Exception {
    CountDownLatch secondFetchStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TCertPool pool = new TCertPool(null, count -> {
      if (fetches.get() == 1) {
        secondFetchStarted.countDown();
        await(release);
      }
      return batch(count);
    }, 4, fetcher);

    assertThat(name(pool.take())).isEqualTo("1"); // first batch, fetched on demand
    assertThat(name(pool.take())).isEqualTo("2"); // two left: half a batch, so the next is asked for
    assertThat(secondFetchStarted.await(10, TimeUnit.SECONDS)).as("the second fetch started early").isTrue();
    // the fetch is blocked at the TCA, yet what is left is handed out at once
    assertThat(name(pool.take())).isEqualTo("3");
    assertThat(name(pool.take())).isEqualTo("4");
    release.countDown();
    assertThat(name(pool.take())).isEqualTo("5");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void concurrentTakersOnAnEmptyPoolWaitForOneFetchAndNoCertIsHandedOutTwice() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TCertPool pool = new TCertPool(null, count -> {
      await(release);
      return batch(count);
    }, 10, fetcher);
    ExecutorService takers = Executors.newFixedThreadPool(8);
    try {
      List<Future<TCertKey>> taken = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        taken.add(takers.submit(pool::take));
      }
      release.countDown();
      Set<String> names = new HashSet<>();
      for (Future<TCertKey> f : taken) {
        names.add(name(f.get(10, TimeUnit.SECONDS)));
      }
      assertThat(names).hasSize(8);
      // eight of ten taken: the second fetch may have started (two left), never a third
      assertThat(fetches.get()).isBetween(1, 2);
    } finally {
      takers.shutdownNow();
    }
  }

  @Test
  void aRefusedFetchFailsTheTakeWithTheCaTextAndTheNextTakeAsksAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TCertPool pool = new TCertPool(null, count -> {
      if (calls.incrementAndGet() == 1) {
        throw new EnrolmentException("TCA: Identity or token does not match.");
      }
      return batch(count);
    }, 2, fetcher);
    assertThatThrownBy(pool::take).isInstanceOf(EnrolmentException.class)
        .hasMessage("TCA: Identity or token does not match.");
    assertThat(name(pool.take())).isEqualTo("1");
  }

  @Test
  void aShutDownFetcherFailsTheTakeInsteadOfWaitingForever() {
    fetcher.shutdown();
    TCertPool pool = new TCertPool(null, this::batch, 2, fetcher);
    assertThatThrownBy(pool::take).isInstanceOf(EnrolmentException.class).hasMessageContaining("shutting down");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the test never released the fetch");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
