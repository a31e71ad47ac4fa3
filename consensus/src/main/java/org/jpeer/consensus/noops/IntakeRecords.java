package org.jpeer.consensus.noops;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jpeer.consensus.ConsensusStore;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions this noops peer accepted from its clients and has not executed yet, one record
 * each in the consensus store ({@code noops.intake.<sequence>}), written (synced) before the client
 * is told its txid. Concurrent writes share one sync (RocksDB groups them). A record is removed with
 * the next write after its block is committed; one a crash left behind is recognised at the next
 * start because its transaction is then in the chain or recorded as failed.
 */
final class IntakeRecords {
  private static final Logger log = LoggerFactory.getLogger(IntakeRecords.class);
  static final String PREFIX = "noops.intake.";

  /** A recovered transaction and its record's key. */
  record Kept(String key, Transaction tx) {}

  private final ConsensusStore store;
  private final AtomicLong sequence;
  private final ConcurrentLinkedQueue<String> executed = new ConcurrentLinkedQueue<>();
  private final List<Kept> recovered;

  /**
   * Reads what a previous run left: the records of transactions not {@code settled} (in a block or
   * recorded as failed) are to be executed again, in the order they were accepted; the others are removed.
   */
  IntakeRecords(ConsensusStore store, Predicate<String> settled) {
    this.store = store;
    Map<String, byte[]> records = new TreeMap<>(store.readAll(PREFIX)); // keys are zero-padded: sorted = accepted order
    List<Kept> pending = new ArrayList<>();
    List<String> done = new ArrayList<>();
    long last = -1;
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      last = Math.max(last, sequenceOf(e.getKey()));
      Transaction tx;
      try {
        tx = Transaction.parseFrom(e.getValue());
      } catch (InvalidProtocolBufferException ex) {
        log.error("Accepted transaction record {} is damaged and cannot be executed: {}", e.getKey(), ex.getMessage());
        done.add(e.getKey());
        continue;
      }
      if (settled.test(tx.getTxid())) {
        done.add(e.getKey());
      } else {
        pending.add(new Kept(e.getKey(), tx));
      }
    }
    if (!done.isEmpty()) {
      store.write(Map.of(), done);
    }
    this.sequence = new AtomicLong(last + 1);
    this.recovered = List.copyOf(pending);
    if (!pending.isEmpty()) {
      log.info("{} transactions accepted before the last stop and not executed then are executed now"
          + " (first {}); {} others were in the chain already", pending.size(), pending.get(0).tx().getTxid(),
          done.size());
    }
  }

  private static long sequenceOf(String key) {
    try {
      return Long.parseLong(key.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  List<Kept> recovered() {
    return recovered;
  }

  /** Writes {@code tx}'s record, and removes those of executed transactions, in one synced write. */
  String keep(Transaction tx) {
    String key = PREFIX + String.format("%019d", sequence.getAndIncrement());
    store.write(Map.of(key, tx.toByteArray()), takeExecuted());
    return key;
  }

  /** The records of these keys are removed with the next write. */
  void executed(List<String> keys) {
    executed.addAll(keys);
  }

  /** Removes the records of executed transactions now (at close). */
  void flush() {
    List<String> keys = takeExecuted();
    if (!keys.isEmpty()) {
      store.write(Map.of(), keys);
    }
  }

  private List<String> takeExecuted() {
    List<String> keys = new ArrayList<>();
    for (String k = executed.poll(); k != null; k = executed.poll()) {
      keys.add(k);
    }
    return keys;
  }
}
