package org.jpeer.peer.node;

import io.grpc.BindableService;
import java.util.List;

/**
 * What the composition root hands to {@link PeerNode}: the services of the peer's one gRPC
 * server and the other components, in start order.
 */
public record NodeParts(List<BindableService> grpcServices, List<NodeComponent> components) {
  public NodeParts {
    grpcServices = List.copyOf(grpcServices);
    components = List.copyOf(components);
  }
}
