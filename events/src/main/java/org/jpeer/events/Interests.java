package org.jpeer.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Interest;

/**
 * One consumer's interests, keyed as the original keys them ({@code /1}, {@code /3},
 * {@code /2/<chaincodeID>/<eventName>}, an empty event name matching every event of that chaincode).
 * Not thread-safe: the subscription guards it.
 */
final class Interests {
  private final Set<String> keys = new HashSet<>();
  private final int max;

  Interests(int max) {
    this.max = max;
  }

  /** Adds an interest; returns why it was refused, or {@code null}. */
  String add(Interest interest) {
    String key = key(interest);
    if (key.startsWith("!")) {
      return key.substring(1);
    }
    if (keys.contains(key)) {
      return "already registered for " + describe(interest);
    }
    if (keys.size() >= max) {
      return "a consumer may register at most " + max + " interests";
    }
    keys.add(key);
    return null;
  }

  /** Removes an interest; returns why it could not be, or {@code null}. */
  String remove(Interest interest) {
    String key = key(interest);
    if (key.startsWith("!")) {
      return key.substring(1);
    }
    return keys.remove(key) ? null : "not registered for " + describe(interest);
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * Whether an event with these keys ({@link #keysOf}) matches at least one interest. The original
   * sends an event once per matching interest (twice to a stream registered for a chaincode's event
   * by name and by wildcard); jpeer sends it once.
   */
  boolean matches(List<String> eventKeys) {
    for (String key : eventKeys) {
      if (keys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** The keys of the interests an event matches. */
  static List<String> keysOf(Event event) {
    switch (event.getEventCase()) {
      case BLOCK:
        return List.of("/1");
      case REJECTION:
        return List.of("/3");
      case CHAINCODEEVENT:
        ChaincodeEvent e = event.getChaincodeEvent();
        String prefix = "/2/" + e.getChaincodeID() + "/";
        return List.of(prefix, prefix + e.getEventName());
      default:
        return List.of();
    }
  }

  /** The key of an interest, or {@code "!" + reason} when it is not one the hub serves. */
  private static String key(Interest interest) {
    EventType type = interest.getEventType();
    switch (type) {
      case BLOCK:
        return "/1";
      case REJECTION:
        return "/3";
      case CHAINCODE:
        if (!interest.hasChaincodeRegInfo() || interest.getChaincodeRegInfo().getChaincodeID().isEmpty()) {
          return "!a CHAINCODE interest needs chaincodeRegInfo with a chaincodeID";
        }
        return "/2/" + interest.getChaincodeRegInfo().getChaincodeID() + "/" + interest.getChaincodeRegInfo().getEventName();
      default:
        return "!event type " + (type == EventType.UNRECOGNIZED ? interest.getEventTypeValue() : type)
            + " has no events (BLOCK, CHAINCODE and REJECTION have)";
    }
  }

  static String describe(Interest interest) {
    if (interest.getEventType() == EventType.CHAINCODE && interest.hasChaincodeRegInfo()) {
      String name = interest.getChaincodeRegInfo().getEventName();
      return "CHAINCODE events of " + interest.getChaincodeRegInfo().getChaincodeID()
          + (name.isEmpty() ? " (all names)" : " named " + name);
    }
    return interest.getEventType() + " events";
  }
}
