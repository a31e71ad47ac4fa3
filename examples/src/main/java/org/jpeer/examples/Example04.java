package org.jpeer.examples;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.Shim;

/**
 * Chaincode calling chaincode, after Fabric v0.6's chaincode_example04/05. Init
 * {@code [eventName, value]} stores a number. Invoke {@code [example02Name, value]} moves 10 from
 * "a" to "b" in the example02 chaincode (inside this transaction) and stores {@code value}.
 * Query {@code query [eventName]} reads the number; {@code sum [example02Name]} queries a and b of
 * the example02 chaincode and returns their sum.
 */
public final class Example04 implements Chaincode {

  public static void main(String[] args) {
    System.exit(Shim.start(new Example04(), args));
  }

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (args.size() != 2) {
      throw new Exception("Incorrect number of arguments. Expecting 2");
    }
    stub.putStringState(args.get(0), Integer.toString(integer(args.get(1))));
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (args.size() != 2) {
      throw new Exception("Incorrect number of arguments. Expecting chaincode name and value");
    }
    int value = integer(args.get(1));
    try {
      stub.invokeChaincode(args.get(0), List.of("invoke", "a", "b", "10"));
    } catch (RuntimeException e) {
      throw new Exception("Failed to invoke chaincode. Got error: " + e.getMessage());
    }
    stub.putStringState("Event", Integer.toString(value));
    return null;
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (function.equals("sum")) {
      if (args.size() != 1) {
        throw new Exception("Incorrect number of arguments. Expecting chaincode name");
      }
      int a = integer(text(stub.queryChaincode(args.get(0), List.of("query", "a"))));
      int b = integer(text(stub.queryChaincode(args.get(0), List.of("query", "b"))));
      return Integer.toString(a + b).getBytes(StandardCharsets.UTF_8);
    }
    if (!function.equals("query") || args.size() != 1) {
      throw new Exception("Invalid query: expecting query [name] or sum [chaincode name]");
    }
    byte[] value = stub.getState(args.get(0));
    if (value == null) {
      throw new Exception("{\"Error\":\"Nil value for " + args.get(0) + "\"}");
    }
    return value;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int integer(String s) throws Exception {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new Exception("Expecting integer value, got '" + s + "'");
    }
  }
}
