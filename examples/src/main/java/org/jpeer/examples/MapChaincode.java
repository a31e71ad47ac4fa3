package org.jpeer.examples;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.KeyValue;
import org.jpeer.shim.Shim;
import org.jpeer.shim.StateRange;

/**
 * A key/value map, after Fabric v0.6's map example: invoke {@code put [key, value]} and
 * {@code remove [key]}; query {@code get [key]} and {@code keys [startKey [endKey]]}, which
 * returns the keys of the range (both ends inclusive, empty end = to the last key) as a JSON array.
 */
public final class MapChaincode implements Chaincode {

  public static void main(String[] args) {
    System.exit(Shim.start(new MapChaincode(), args));
  }

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) {
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    switch (function) {
      case "put" -> {
        if (args.size() != 2) {
          throw new Exception("put operation must include two arguments, a key and value");
        }
        stub.putStringState(args.get(0), args.get(1));
        return null;
      }
      case "remove" -> {
        if (args.size() != 1) {
          throw new Exception("remove operation must include one argument, a key");
        }
        stub.delState(args.get(0));
        return null;
      }
      default -> throw new Exception("Unsupported operation");
    }
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception {
    switch (function) {
      case "get" -> {
        if (args.size() != 1) {
          throw new Exception("get operation must include one argument, a key");
        }
        return stub.getState(args.get(0));
      }
      case "keys" -> {
        if (args.size() > 2) {
          throw new Exception("keys operation takes at most two arguments, start and end key");
        }
        String start = args.isEmpty() ? "" : args.get(0);
        String end = args.size() < 2 ? "" : args.get(1);
        StringBuilder json = new StringBuilder("[");
        try (StateRange range = stub.rangeQuery(start, end)) {
          while (range.hasNext()) {
            KeyValue kv = range.next();
            if (json.length() > 1) {
              json.append(',');
            }
            json.append('"').append(escape(kv.key())).append('"');
          }
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
      }
      default -> throw new Exception("Unsupported operation");
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
