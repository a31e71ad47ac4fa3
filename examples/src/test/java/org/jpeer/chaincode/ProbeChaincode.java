package org.jpeer.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jpeer.shim.Chaincode;
import org.jpeer.shim.ChaincodeStub;
import org.jpeer.shim.KeyValue;
import org.jpeer.shim.StateRange;

/** A chaincode for protocol tests, run in-process with the real shim. */
final class ProbeChaincode implements Chaincode {
  /** Released by a test to let a blocked invoke finish. */
  final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when an invoke reaches its blocking point. */
  final CountDownLatch blocked = new CountDownLatch(1);

  @Override
  public byte[] init(ChaincodeStub stub, String function, List<String> args) {
    String inits = stub.getStringState("inits");
    stub.putStringState("inits", Integer.toString(inits == null ? 1 : Integer.parseInt(inits) + 1));
    for (int i = 0; i + 1 < args.size(); i += 2) {
      stub.putStringState(args.get(i), args.get(i + 1));
    }
    return null;
  }

  @Override
  public byte[] invoke(ChaincodeStub stub, String function, List<String> args) throws Exception {
    switch (function) {
      case "put" -> stub.putStringState(args.get(0), args.get(1));
      case "putEmpty" -> stub.putState(args.get(0), new byte[0]);
      case "fail" -> throw new IllegalStateException(args.get(0));
      case "npe" -> {
        Object nothing = null;
        return nothing.toString().getBytes(StandardCharsets.UTF_8);
      }
      case "putAndBlock" -> {
        stub.putStringState(args.get(0), args.get(1));
        blocked.countDown();
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      }
      case "event" -> stub.setEvent(args.get(0), args.get(1).getBytes(StandardCharsets.UTF_8));
      case "call" -> {
        return stub.invokeChaincode(args.get(0), args.subList(1, args.size()));
      }
      default -> throw new IllegalArgumentException("unknown function " + function);
    }
    return ("done " + function).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] query(ChaincodeStub stub, String function, List<String> args) {
    switch (function) {
      case "get" -> {
        String v = stub.getStringState(args.get(0));
        return (v == null ? "<none>" : v).getBytes(StandardCharsets.UTF_8);
      }
      case "put" -> stub.putStringState(args.get(0), args.get(1));
      case "invoke" -> stub.invokeChaincode(args.get(0), args.subList(1, args.size()));
      case "range" -> {
        StringBuilder b = new StringBuilder();
        try (StateRange r = stub.rangeQuery(args.get(0), args.get(1))) {
          while (r.hasNext()) {
            KeyValue kv = r.next();
            b.append(kv.key()).append('=').append(kv.stringValue()).append(';');
          }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
      }
      case "firstOfRange" -> {
        try (StateRange r = stub.rangeQuery(args.get(0), args.get(1))) {
          return r.next().key().getBytes(StandardCharsets.UTF_8);
        }
      }
      case "ask" -> {
        return stub.queryChaincode(args.get(0), args.subList(1, args.size()));
      }
      case "args" -> {
        return String.join("|", stub.args()).getBytes(StandardCharsets.UTF_8);
      }
      default -> throw new IllegalArgumentException("unknown function " + function);
    }
    return new byte[0];
  }
}
