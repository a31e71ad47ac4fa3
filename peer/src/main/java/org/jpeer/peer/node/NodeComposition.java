package org.jpeer.peer.node;

import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;

/**
 * THE composition root of a running peer: the one place where the peer's parts are created and
 * wired together by hand. To add a part, create it here and add it to one of the two lists:
 *
 * <ul>
 *   <li>a gRPC service (Devops, ChaincodeSupport, Openchain, Peer) to {@code services}: all are
 *       served on {@code peer.listenAddress} by one server;
 *   <li>anything with a life cycle (ledger, engine, consenter, REST server, event hub) to
 *       {@code components}, in dependency order: they start in this order once the gRPC server is
 *       listening and close in reverse order after it stopped. Use
 *       {@link NodeComponent#closing(AutoCloseable)} for a part that is ready once constructed.
 * </ul>
 *
 * <p>If creating a part fails, close what was already created before rethrowing (the
 * {@code opened} list below does that for parts added to it).
 */
final class NodeComposition {
  private NodeComposition() {}

  static NodeParts compose(NodeContext context) throws Exception {
    List<BindableService> services = new ArrayList<>();
    List<NodeComponent> components = new ArrayList<>();
    try {
      services.add(new AdminService(context::requestStop));
      // Wiring of ledger, chaincode support, engine, devops, openchain and REST goes here.
      return new NodeParts(services, components);
    } catch (Exception | Error e) {
      for (int i = components.size() - 1; i >= 0; i--) {
        try {
          components.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }
}
