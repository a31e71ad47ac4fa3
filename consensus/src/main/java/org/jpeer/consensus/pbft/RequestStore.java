package org.jpeer.consensus.pbft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.pbft.Request;

/**
 * The requests a replica knows and has not executed ("outstanding"), in arrival order, and which of
 * them already sit in a batch ("pending"). Requests leave only when executed (or found executed after
 * a state transfer): unlike the original, a view change or state transfer never forgets one.
 */
final class RequestStore {

  private final LinkedHashMap<RequestKey, Request> outstanding = new LinkedHashMap<>();
  /** Outstanding and not pending, in arrival order. */
  private final LinkedHashSet<RequestKey> unbatched = new LinkedHashSet<>();
  private final Map<Long, Integer> perOrigin = new HashMap<>();

  /** Adds a request; false if it was already known. */
  boolean add(RequestKey key, Request request) {
    if (outstanding.putIfAbsent(key, request) != null) {
      return false;
    }
    unbatched.add(key);
    perOrigin.merge(key.replica(), 1, Integer::sum);
    return true;
  }

  boolean contains(RequestKey key) {
    return outstanding.containsKey(key);
  }

  int countFrom(long replica) {
    return perOrigin.getOrDefault(replica, 0);
  }

  void markPending(RequestKey key) {
    unbatched.remove(key);
  }

  boolean isPending(RequestKey key) {
    return outstanding.containsKey(key) && !unbatched.contains(key);
  }

  /** Every outstanding request becomes unbatched again, in arrival order. */
  void clearPending() {
    unbatched.clear();
    unbatched.addAll(outstanding.keySet());
  }

  void remove(RequestKey key) {
    if (outstanding.remove(key) != null) {
      unbatched.remove(key);
      perOrigin.computeIfPresent(key.replica(), (r, c) -> c == 1 ? null : c - 1);
    }
  }

  boolean hasUnbatched() {
    return !unbatched.isEmpty();
  }

  int size() {
    return outstanding.size();
  }

  /** Up to {@code max} unbatched requests in arrival order, marked pending. */
  List<Request> takeUnbatched(int max) {
    List<Request> out = new ArrayList<>(Math.min(max, unbatched.size()));
    Iterator<RequestKey> it = unbatched.iterator();
    while (it.hasNext() && out.size() < max) {
      RequestKey key = it.next();
      it.remove();
      out.add(outstanding.get(key));
    }
    return out;
  }

  /** Unbatched requests in arrival order, at most {@code max}, without changing them. */
  List<Request> peekUnbatched(int max) {
    List<Request> out = new ArrayList<>(Math.min(max, unbatched.size()));
    for (RequestKey key : unbatched) {
      if (out.size() == max) {
        break;
      }
      out.add(outstanding.get(key));
    }
    return out;
  }

  Collection<Request> all() {
    return outstanding.values();
  }
}
