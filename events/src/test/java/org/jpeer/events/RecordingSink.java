package org.jpeer.events;

import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.Event;

/**
 * A sink that keeps what it is sent, as {@code <block>.<index> <kind> <detail>} lines, and is ready
 * only while the test lets it be (a consumer that stops reading).
 */
final class RecordingSink implements EventSink {
  private final List<String> lines = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private volatile boolean ready = true;
  private volatile Ending ending;
  private volatile int heartbeats;
  volatile Subscription subscription;

  static String describe(Event e) {
    return switch (e.getEventCase()) {
      case BLOCK -> "block " + (e.getBlock().getTransactionsCount() == 0 ? "-" : e.getBlock().getTransactions(0).getTxid());
      case CHAINCODEEVENT -> "chaincode " + e.getChaincodeEvent().getChaincodeID() + "/" + e.getChaincodeEvent().getEventName()
          + " " + e.getChaincodeEvent().getTxID();
      case REJECTION -> "rejection " + e.getRejection().getTx().getTxid() + " " + e.getRejection().getErrorMsg();
      case REGISTER -> "ack register";
      case UNREGISTER -> "ack unregister";
      default -> "ack empty";
    };
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  void ready(boolean value) {
    ready = value;
    if (value && subscription != null) {
      subscription.wake();
    }
  }

  @Override
  public synchronized void send(Event event, long block, int index) {
    events.add(event);
    lines.add((block < 0 ? "" : block + "." + index + " ") + describe(event));
  }

  @Override
  public void heartbeat() {
    heartbeats++;
  }

  @Override
  public void end(Ending why) {
    ending = why;
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized int size() {
    return lines.size();
  }

  Ending ending() {
    return ending;
  }

  int heartbeats() {
    return heartbeats;
  }
}
