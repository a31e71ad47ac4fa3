package org.jpeer.examples;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.Shim;

/**
 * What a chaincode learns about its caller on a secured peer: invoke {@code remember} stores the
 * caller's certificate, the transaction binding and the metadata (as hex) under {@code cert},
 * {@code binding} and {@code metadata}; query {@code get [key]} reads one back, query {@code caller}
 * answers the live values of the query itself as {@code cert binding} in hex.
 */
public final class CallerInfo implements Chaincode {
  private static final HexFormat HEX = HexFormat.of();

  public static void main(String[] args) {
    System.exit(Shim.start(new CallerInfo(), args));
  }

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) {
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    if (!function.equals("remember")) {
      throw new Exception("Unsupported operation " + function + ": expected remember");
    }
    stub.putStringState("cert", HEX.formatHex(stub.callerCertificate()));
    stub.putStringState("binding", HEX.formatHex(stub.binding()));
    stub.putStringState("metadata", HEX.formatHex(stub.callerMetadata()));
    return null;
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) throws Exception {
    return switch (function) {
      case "get" -> {
        if (args.size() != 1) {
          throw new Exception("get takes one argument, a key");
        }
        yield stub.getState(args.get(0));
      }
      case "caller" -> (HEX.formatHex(stub.callerCertificate()) + " " + HEX.formatHex(stub.binding()))
          .getBytes(StandardCharsets.US_ASCII);
      default -> throw new Exception("Unsupported query " + function + ": expected get or caller");
    };
  }
}
