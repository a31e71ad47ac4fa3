package org.jpeer.examples;

import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.Shim;

/**
 * Fabric v0.6's chaincode_example02 in Java, with the same arguments, results and error texts:
 * init {@code [A, Aval, B, Bval]}; invoke {@code [A, B, X]} moves X from A to B, or
 * {@code delete [A]}; query {@code query [A]} returns A's amount.
 */
public final class Example02 implements Chaincode {

  public static void main(String[] args) {
    System.exit(Shim.start(new Example02(), args));
  }

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (args.size() != 4) {
      throw new Exception("Incorrect number of arguments. Expecting 4");
    }
    String a = args.get(0);
    int aval = parseHolding(args.get(1));
    String b = args.get(2);
    int bval = parseHolding(args.get(3));
    System.out.printf("Aval = %d, Bval = %d%n", aval, bval);
    stub.putStringState(a, Integer.toString(aval));
    stub.putStringState(b, Integer.toString(bval));
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (function.equals("delete")) {
      return delete(stub, args);
    }
    if (args.size() != 3) {
      throw new Exception("Incorrect number of arguments. Expecting 3");
    }
    String a = args.get(0);
    String b = args.get(1);
    int aval = atoiOrZero(existing(stub, a));
    int bval = atoiOrZero(existing(stub, b));
    int x;
    try {
      x = Integer.parseInt(args.get(2));
    } catch (NumberFormatException e) {
      throw new Exception("Invalid transaction amount, expecting a integer value");
    }
    aval -= x;
    bval += x;
    System.out.printf("Aval = %d, Bval = %d%n", aval, bval);
    stub.putStringState(a, Integer.toString(aval));
    stub.putStringState(b, Integer.toString(bval));
    return null;
  }

  private static byte[] delete(ChaincodeStub stub, List<String> args) throws Exception {
    if (args.size() != 1) {
      throw new Exception("Incorrect number of arguments. Expecting 1");
    }
    try {
      stub.delState(args.get(0));
    } catch (RuntimeException e) {
      throw new Exception("Failed to delete state");
    }
    return null;
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (!function.equals("query")) {
      throw new Exception("Invalid query function name. Expecting \"query\"");
    }
    if (args.size() != 1) {
      throw new Exception("Incorrect number of arguments. Expecting name of the person to query");
    }
    String a = args.get(0);
    byte[] value;
    try {
      value = stub.getState(a);
    } catch (RuntimeException e) {
      throw new Exception("{\"Error\":\"Failed to get state for " + a + "\"}");
    }
    if (value == null) {
      throw new Exception("{\"Error\":\"Nil amount for " + a + "\"}");
    }
    System.out.printf("Query Response:{\"Name\":\"%s\",\"Amount\":\"%s\"}%n", a,
        new String(value, java.nio.charset.StandardCharsets.UTF_8));
    return value;
  }

  private static String existing(ChaincodeStub stub, String key) throws Exception {
    String value;
    try {
      value = stub.getStringState(key);
    } catch (RuntimeException e) {
      throw new Exception("Failed to get state");
    }
    if (value == null) {
      throw new Exception("Entity not found");
    }
    return value;
  }

  private static int parseHolding(String text) throws Exception {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Exception("Expecting integer value for asset holding");
    }
  }

  /** Go's {@code strconv.Atoi} result with the error ignored, as the original does. */
  private static int atoiOrZero(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
