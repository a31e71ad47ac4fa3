package org.jpeer.peer;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;

/** The example jars, shaded by the examples module (built before the peer: a test-scoped dependency). */
final class Examples {
  private Examples() {}

  static final Path EXAMPLE02 = Path.of("..", "examples", "target", "example02.jar").toAbsolutePath().normalize();

  /** The JSON of a JAVA ChaincodeSpec for REST: {@code chaincodeID} as given, the arguments as args. */
  static String spec(String chaincodeId, String... args) {
    return "{\"type\":4,\"chaincodeID\":" + chaincodeId + ",\"ctorMsg\":{\"args\":[\""
        + String.join("\",\"", args) + "\"]}}";
  }

  static String byPath(Path jar) {
    return "{\"path\":\"" + jar + "\"}";
  }

  static String byName(String name) {
    return "{\"name\":\"" + name + "\"}";
  }

  /** A JAVA ChaincodeSpec for the Devops gRPC service. */
  static ChaincodeSpec grpcSpec(ChaincodeID id, String... args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (String a : args) {
      input.addArgs(ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA).setChaincodeID(id).setCtorMsg(input).build();
  }

  static ChaincodeInvocationSpec invocation(String name, String... args) {
    return ChaincodeInvocationSpec.newBuilder()
        .setChaincodeSpec(grpcSpec(ChaincodeID.newBuilder().setName(name).build(), args)).build();
  }

  static ChaincodeID path(Path jar) {
    return ChaincodeID.newBuilder().setPath(jar.toString()).build();
  }
}
