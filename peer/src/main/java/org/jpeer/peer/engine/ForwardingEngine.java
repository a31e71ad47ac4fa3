package org.jpeer.peer.engine;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.config.HostPort;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.peer.tls.Dialer;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of a non-validating peer: it orders and executes nothing itself, but forwards every
 * transaction (deploy, invoke, query) to a connected validator with {@code Peer.ProcessTransaction}
 * and answers with that validator's Response, as the original does.
 *
 * <p>The original picks a random known peer for every transaction. This engine keeps using one
 * connected validator (picked at random first) and moves to another when that one is no longer
 * connected or a call to it fails with UNAVAILABLE (the transaction was not delivered, so sending
 * it elsewhere cannot run it twice). Other failures are reported, not retried elsewhere.
 */
public final class ForwardingEngine implements TransactionEngine, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ForwardingEngine.class);

  private final Supplier<List<PeerEndpoint>> peers;
  private final Duration submitDeadline;
  private final Duration queryDeadline;
  private final int maxMessageBytes;
  private final Map<String, ManagedChannel> channels = new HashMap<>(); // guarded by this
  private String current; // guarded by this: the address in use
  private boolean closed; // guarded by this

  /**
   * @param peers the connected peers (the network's list); validators among them are used
   * @param submitDeadline how long a forwarded deploy or invoke may take to be accepted
   * @param queryDeadline how long a forwarded query may take (it runs the chaincode)
   */
  private final Dialer dialer;

  public ForwardingEngine(Supplier<List<PeerEndpoint>> peers, Duration submitDeadline, Duration queryDeadline,
      int maxMessageBytes) {
    this(peers, submitDeadline, queryDeadline, maxMessageBytes, Dialer.plaintext());
  }

  /** Dials validators with {@code dialer} (TLS with {@code peer.tls.enabled}). */
  public ForwardingEngine(Supplier<List<PeerEndpoint>> peers, Duration submitDeadline, Duration queryDeadline,
      int maxMessageBytes, Dialer dialer) {
    this.dialer = dialer;
    this.peers = peers;
    this.submitDeadline = submitDeadline;
    this.queryDeadline = queryDeadline;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void submit(Transaction tx) throws EngineBusyException {
    Response r;
    try {
      r = forward(tx, submitDeadline);
    } catch (ForwardingFailed e) {
      throw new EngineBusyException(e.getMessage());
    }
    if (r.getStatus() != Response.StatusCode.SUCCESS) {
      throw new EngineBusyException(r.getMsg().toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public byte[] query(Transaction tx) throws ChaincodeException {
    Response r;
    try {
      r = forward(tx, queryDeadline);
    } catch (ForwardingFailed e) {
      throw new ChaincodeException(e.getMessage());
    }
    if (r.getStatus() != Response.StatusCode.SUCCESS) {
      // the validator's text already carries the original's "Error:" prefix, which devops adds again
      String text = r.getMsg().toString(StandardCharsets.UTF_8);
      throw new ChaincodeException(text.startsWith("Error:") ? text.substring("Error:".length()) : text);
    }
    return r.getMsg().toByteArray();
  }

  private static final class ForwardingFailed extends Exception {
    private static final long serialVersionUID = 1L;

    ForwardingFailed(String message) {
      super(message);
    }
  }

  private Response forward(Transaction tx, Duration deadline) throws ForwardingFailed {
    List<String> tried = new ArrayList<>();
    while (true) {
      String address = pick(tried);
      if (address == null) {
        throw new ForwardingFailed(tried.isEmpty()
            ? "this non-validating peer is connected to no validating peer; transaction " + tx.getTxid()
                + " was not sent"
            : "no validating peer could be reached (tried " + String.join(", ", tried) + "); transaction "
                + tx.getTxid() + " was not sent");
      }
      tried.add(address);
      try {
        Response r = PeerGrpc.newBlockingStub(channel(address))
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .processTransaction(tx);
        log.debug("Transaction {} ({}) forwarded to {}: {}", tx.getTxid(), tx.getType(), address, r.getStatus());
        return r;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw new ForwardingFailed("forwarding transaction " + tx.getTxid() + " to the validating peer at "
              + address + " failed: " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
        log.info("The validating peer at {} is unavailable ({}); trying another", address,
            e.getStatus().getDescription());
        drop(address);
      }
    }
  }

  /** The address to use: the current one if still connected and not tried, else a random other one. */
  private synchronized String pick(List<String> tried) throws ForwardingFailed {
    if (closed) {
      throw new ForwardingFailed("the peer is shutting down");
    }
    List<String> validators = new ArrayList<>();
    for (PeerEndpoint p : peers.get()) {
      if (p.getType() == PeerEndpoint.Type.VALIDATOR && !p.getAddress().isEmpty()
          && !tried.contains(p.getAddress())) {
        validators.add(p.getAddress());
      }
    }
    if (current != null && validators.contains(current)) {
      return current;
    }
    if (validators.isEmpty()) {
      return null;
    }
    Collections.shuffle(validators);
    String previous = current;
    current = validators.get(0);
    if (previous == null) {
      log.info("Forwarding transactions to the validating peer at {}", current);
    } else {
      log.info("Forwarding transactions to the validating peer at {} instead of {}", current, previous);
    }
    return current;
  }

  private synchronized ManagedChannel channel(String address) throws ForwardingFailed {
    if (closed) {
      throw new ForwardingFailed("the peer is shutting down");
    }
    ManagedChannel c = channels.get(address);
    if (c == null) {
      HostPort hp;
      try {
        hp = HostPort.parse(address);
      } catch (IllegalArgumentException e) {
        throw new ForwardingFailed("the validating peer's address " + address + " is not host:port");
      }
      c = dialer.to(hp).maxInboundMessageSize(maxMessageBytes).build();
      channels.put(address, c);
    }
    return c;
  }

  private synchronized void drop(String address) {
    ManagedChannel c = channels.remove(address);
    if (c != null) {
      c.shutdownNow();
    }
    if (address.equals(current)) {
      current = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.clear();
  }

  @Override
  public String toString() {
    return "forwarding engine";
  }
}
