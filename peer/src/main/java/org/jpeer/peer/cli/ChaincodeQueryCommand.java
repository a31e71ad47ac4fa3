package org.jpeer.peer.cli;

import com.google.protobuf.TextFormat;
import io.grpc.StatusRuntimeException;
import java.util.HexFormat;
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
import picocli.CommandLine.Option;

/**
 * {@code peer chaincode query}: Devops.Query; prints {@code Query Result: <text>}, or with
 * {@code -r} {@code Query Result (Raw): <bytes>} without a newline, or with {@code -x} the bytes
 * in hex.
 */
@Command(name = "query", description = "Query using the specified chaincode.")
final class ChaincodeQueryCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeQueryCommand.class);

  @Mixin CommonOptions common;
  @Mixin ChaincodeFlags options;

  @Option(
      names = {"-r", "--raw"},
      description = "If true, output the query value as raw bytes, otherwise format as a printable string.")
  boolean raw;

  @Option(
      names = {"-x", "--hex"},
      description = "If true, output the query value byte array in hexadecimal. Incompatible with --raw.")
  boolean hex;

  private final CliContext context;

  ChaincodeQueryCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("chaincode", List.of());
    ChaincodeInvocationSpec invocation = ChaincodeInvokeCommand.invocation(options, config);
    try (PeerClient client = PeerClient.open(config)) {
      Response response;
      try {
        response = client.devops().query(invocation);
      } catch (StatusRuntimeException e) {
        throw client.failure(e, "Error querying chaincode", "peer chaincode query", DevopsGrpc.getQueryMethod());
      }
      log.info("Successfully queried transaction: {}", TextFormat.shortDebugString(invocation));
      byte[] result = response.getMsg().toByteArray();
      if (raw) {
        if (hex) {
          throw CliException.usage("Options --raw (-r) and --hex (-x) are not compatible");
        }
        context.out().print("Query Result (Raw): ");
        context.out().write(result, 0, result.length);
        context.out().flush();
      } else if (hex) {
        context.out().println(HexFormat.of().formatHex(result));
      } else {
        context.out().println("Query Result: " + response.getMsg().toStringUtf8());
      }
      return 0;
    }
  }
}
