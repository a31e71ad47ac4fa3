package org.jpeer.peer.cli;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.AdminGrpc;
import org.jpeer.protos.ServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code peer node status}: prints {@code status:STARTED} from the peer's Admin service. When the
 * peer cannot be reached it prints {@code status:UNKNOWN} and fails, as the original does.
 */
@Command(name = "status", description = "Returns status of the node.")
final class NodeStatusCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  private final CliContext context;

  NodeStatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("node", List.of());
    PeerClient client;
    try {
      client = PeerClient.open(config);
    } catch (CliException e) {
      context.out().println("status:" + ServerStatus.StatusCode.UNKNOWN);
      throw e;
    }
    try (client) {
      ServerStatus status = client.admin().getStatus(Empty.getDefaultInstance());
      context.out().println("status:" + status.getStatus());
      return 0;
    } catch (StatusRuntimeException e) {
      context.out().println("status:" + ServerStatus.StatusCode.UNKNOWN);
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
        throw CliException.failure(client.connectionError(e), e);
      }
      throw client.failure(e, "Error trying to get status from local peer", "peer node status",
          AdminGrpc.getGetStatusMethod());
    }
  }
}
