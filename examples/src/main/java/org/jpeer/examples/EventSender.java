package org.jpeer.examples;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.Shim;

/**
 * Emits a chaincode event on every invoke, after Fabric v0.6's eventsender example: the event is
 * named "evtsender" and its payload is {@code "Event <n>,<args joined by commas>"}; query
 * returns how many events were sent.
 */
public final class EventSender implements Chaincode {
  static final String COUNTER = "noevents";

  public static void main(String[] args) {
    System.exit(Shim.start(new EventSender(), args));
  }

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) {
    stub.putStringState(COUNTER, "0");
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    String current = stub.getStringState(COUNTER);
    if (current == null) {
      throw new Exception("Failed to get state: the chaincode was not initialised");
    }
    int n = Integer.parseInt(current);
    String payload = "Event " + n + "," + String.join(",", stub.args());
    stub.putStringState(COUNTER, Integer.toString(n + 1));
    stub.setEvent("evtsender", payload.getBytes(StandardCharsets.UTF_8));
    return null;
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) {
    String current = stub.getStringState(COUNTER);
    return (current == null ? "0" : current).getBytes(StandardCharsets.UTF_8);
  }
}
