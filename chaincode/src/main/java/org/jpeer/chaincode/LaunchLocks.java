package org.jpeer.chaincode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per chaincode name, so that two launches of one chaincode (or a launch and the cleanup
 * after its stream ended) never overlap while different chaincodes launch in parallel. A name's
 * lock exists only while some thread holds or waits for it: chaincode names come from transactions,
 * so a map that kept every name ever seen would grow without bound.
 */
final class LaunchLocks {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users; // holders and waiters; guarded by LaunchLocks.this
  }

  /** A held lock; closing it releases the lock on the thread that took it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private final Map<String, Entry> entries = new HashMap<>();

  /** Takes {@code name}'s lock, waiting at most {@code patience}. */
  Held acquire(String name, Duration patience) throws InterruptedException, TimeoutException {
    Entry entry = join(name);
    boolean locked = false;
    try {
      locked = entry.lock.tryLock(patience.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (!locked) {
        leave(name, entry);
      }
    }
    if (!locked) {
      throw new TimeoutException("the lock of " + name + " was not free within " + patience.toMillis() + " ms");
    }
    return () -> {
      entry.lock.unlock();
      leave(name, entry);
    };
  }

  /** Takes {@code name}'s lock, however long that takes (cleanup that must happen). */
  Held acquire(String name) {
    Entry entry = join(name);
    entry.lock.lock();
    return () -> {
      entry.lock.unlock();
      leave(name, entry);
    };
  }

  /** Names with a lock now (held or awaited). */
  synchronized int size() {
    return entries.size();
  }

  private synchronized Entry join(String name) {
    Entry entry = entries.computeIfAbsent(name, n -> new Entry());
    entry.users++;
    return entry;
  }

  private synchronized void leave(String name, Entry entry) {
    if (--entry.users == 0) {
      entries.remove(name, entry);
    }
  }
}
