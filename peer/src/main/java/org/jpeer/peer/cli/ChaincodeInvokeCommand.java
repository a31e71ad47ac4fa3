package org.jpeer.peer.cli;

import com.google.protobuf.TextFormat;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code peer chaincode invoke}: Devops.Invoke. Prints nothing at the default level; at INFO logs
 * {@code Successfully invoked transaction: <invocation>(<txid>)}, as the original.
 */
@Command(name = "invoke", description = "Invoke the specified chaincode.")
final class ChaincodeInvokeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeInvokeCommand.class);

  @Mixin CommonOptions common;
  @Mixin ChaincodeFlags options;

  private final CliContext context;

  ChaincodeInvokeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("chaincode", List.of());
    ChaincodeInvocationSpec invocation = invocation(options, config);
    try (PeerClient client = PeerClient.open(config)) {
      Response response;
      try {
        response = client.devops().invoke(invocation);
      } catch (StatusRuntimeException e) {
        throw client.failure(e, "Error invoking chaincode", "peer chaincode invoke", DevopsGrpc.getInvokeMethod());
      }
      log.info(
          "Successfully invoked transaction: {}({})",
          TextFormat.shortDebugString(invocation),
          response.getMsg().toStringUtf8());
      return 0;
    }
  }

  /** The invocation of invoke and query: the spec, and {@code -t} as the id generation algorithm. */
  static ChaincodeInvocationSpec invocation(ChaincodeFlags options, JpeerConfig config) throws CliException {
    ChaincodeInvocationSpec.Builder invocation =
        ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpecs.build(options, config));
    if (!options.tid.isEmpty()) {
      invocation.setIdGenerationAlg(options.tid);
    }
    return invocation.build();
  }
}
