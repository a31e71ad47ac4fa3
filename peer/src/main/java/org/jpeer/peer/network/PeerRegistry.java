package org.jpeer.peer.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jpeer.protos.PeerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered streams by PeerID, at most one per peer, and the membership listeners.
 *
 * <p>Duplicates. A second stream for a registered PeerID is refused and closed, except in one case:
 * when two peers dial each other at the same moment, each side sees one stream it dialled and one it
 * accepted. Both sides then keep the stream dialled by the peer whose PeerID sorts first and close
 * the other, so that they agree on one stream instead of each refusing the other's (which would
 * leave them unconnected). The original registers the first and leaves the second open but
 * unregistered ("Duplicate Handler error").
 *
 * <p>Listeners are told on {@code events} while the registry's lock is held, so that they see the
 * changes in the order they happened.
 */
final class PeerRegistry {
  private static final Logger log = LoggerFactory.getLogger(PeerRegistry.class);

  /** The outcome of {@link #register}, and the stream the new one replaced, if any. */
  record Outcome(Connection.Registration registration, Connection replaced) {}

  private final String selfId;
  private final Executor events;
  private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

  PeerRegistry(String selfId, Executor events) {
    this.selfId = selfId;
    this.events = events;
  }

  void addListener(MembershipListener listener) {
    listeners.add(listener);
  }

  synchronized Outcome register(Connection c, PeerEndpoint remote, Runnable beforeVisible) {
    String id = remote.getID().getName();
    if (id.equals(selfId)) {
      return new Outcome(Connection.Registration.SELF, null);
    }
    Connection existing = byId.get(id);
    if (existing != null && existing != c && !existing.isClosed()) {
      boolean crossed = existing.direction != c.direction;
      if (!crossed || dialler(c, id).compareTo(dialler(existing, id)) > 0) {
        return new Outcome(Connection.Registration.DUPLICATE, null);
      }
      beforeVisible.run();
      byId.put(id, c);
      return new Outcome(Connection.Registration.REGISTERED, existing);
    }
    beforeVisible.run();
    byId.put(id, c);
    PeerEndpoint ep = c.remote();
    fire(l -> l.peerConnected(ep));
    return new Outcome(Connection.Registration.REGISTERED, null);
  }

  private String dialler(Connection c, String remoteId) {
    return c.direction == Connection.Direction.DIALLED ? selfId : remoteId;
  }

  /** Unregisters {@code c} if it is the registered stream of its peer; returns whether it was. */
  synchronized boolean remove(Connection c) {
    PeerEndpoint ep = c.remote();
    if (ep == null || !byId.remove(ep.getID().getName(), c)) {
      return false;
    }
    fire(l -> l.peerDisconnected(ep));
    return true;
  }

  Optional<Connection> get(String peerId) {
    return Optional.ofNullable(byId.get(peerId));
  }

  Collection<Connection> all() {
    return byId.values();
  }

  List<PeerEndpoint> endpoints() {
    List<PeerEndpoint> out = new ArrayList<>();
    for (Connection c : byId.values()) {
      out.add(c.remote());
    }
    return out;
  }

  private void fire(Consumer<MembershipListener> call) {
    for (MembershipListener l : listeners) {
      try {
        events.execute(() -> {
          try {
            call.accept(l);
          } catch (RuntimeException e) {
            log.warn("A membership listener failed: {}", e.toString(), e);
          }
        });
      } catch (RejectedExecutionException e) {
        // the network is closed: nobody listens any more
      }
    }
  }
}
