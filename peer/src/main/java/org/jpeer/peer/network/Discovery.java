package org.jpeer.peer.network;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.PeersAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of the peers this peer has been connected to, and when each may be dialled again.
 * With {@code peer.discovery.persist} the list is kept in the ledger's {@code persistCF} under the
 * key {@code discovery} as a serialized {@code PeersAddresses}, as the original does, so that a
 * restarted peer finds the others without its root node.
 *
 * <p>Back-off: an address whose dial failed is not dialled again for the touch period, then twice
 * that, and so on up to {@link #MAX_BACKOFF} (or the touch period, if longer); a registration resets it.
 */
final class Discovery {
  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  /** The original's key in persistCF. */
  static final String KEY = "discovery";
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private record Attempts(int failures, long notBeforeNanos) {}

  private final PeerLedger ledger;
  private final boolean persist;
  private final long touchNanos;
  private final long maxBackoffNanos;
  private final LinkedHashSet<String> known = new LinkedHashSet<>();
  private final Map<String, Attempts> attempts = new HashMap<>();

  Discovery(PeerLedger ledger, boolean persist, Duration touchPeriod) {
    this.ledger = ledger;
    this.persist = persist;
    this.touchNanos = touchPeriod.toNanos();
    this.maxBackoffNanos = Math.max(touchNanos, MAX_BACKOFF.toNanos());
  }

  /** Reads the persisted list (when persisting) into the known addresses and returns them. */
  synchronized List<String> load() {
    if (!persist) {
      return List.of();
    }
    Optional<byte[]> bytes = ledger.persisted(KEY);
    if (bytes.isEmpty()) {
      return List.of();
    }
    try {
      known.addAll(PeersAddresses.parseFrom(bytes.get()).getAddressesList());
    } catch (InvalidProtocolBufferException e) {
      log.warn("Ignoring the persisted discovery list: it does not decode ({})", e.getMessage());
    }
    return List.copyOf(known);
  }

  /** A peer registered from {@code address}: remember it (and persist the list if it is new). */
  synchronized void learnt(String address) {
    attempts.remove(address);
    if (!known.add(address) || !persist) {
      return;
    }
    try {
      ledger.persist(KEY, PeersAddresses.newBuilder().addAllAddresses(known).build().toByteArray());
    } catch (RuntimeException e) {
      // the ledger is closing (the peer stops): the list is written again on the next change
      log.debug("Cannot persist the discovery list: {}", e.toString());
    }
  }

  /** A dial of {@code address} reached a peer: no back-off for it. */
  synchronized void reachable(String address) {
    attempts.remove(address);
  }

  synchronized List<String> known() {
    return new ArrayList<>(known);
  }

  synchronized boolean mayDial(String address, long nowNanos) {
    Attempts a = attempts.get(address);
    return a == null || nowNanos - a.notBeforeNanos >= 0;
  }

  /** A dial of {@code address} failed; returns how many times in a row. */
  synchronized int failed(String address, long nowNanos) {
    Attempts a = attempts.get(address);
    int failures = a == null ? 1 : a.failures + 1;
    long delay = touchNanos;
    for (int i = 1; i < failures && delay < maxBackoffNanos; i++) {
      delay *= 2;
    }
    attempts.put(address, new Attempts(failures, nowNanos + Math.min(delay, maxBackoffNanos)));
    return failures;
  }
}
