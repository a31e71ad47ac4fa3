package org.jpeer.peer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeersMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code peer network list}: Openchain.GetPeers, printed as the original's Go JSON
 * {@code {"Peers":[{"ID":{"name":"vp1"},"address":"...","type":1,"pkiID":"<base64>"}]}} (empty
 * fields left out, the type as its number).
 */
@Command(name = "list", description = "Lists all network peers.")
final class NetworkListCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin CommonOptions common;

  private final CliContext context;

  NetworkListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    JpeerConfig config = context.loadConfig("network", List.of());
    try (PeerClient client = PeerClient.open(config)) {
      PeersMessage peers;
      try {
        peers = client.openchain().getPeers(Empty.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        throw client.failure(e, "Error trying to get peers", "peer network list", OpenchainGrpc.getGetPeersMethod());
      }
      context.out().println(JSON.writeValueAsString(toJson(peers)));
      return 0;
    }
  }

  static ObjectNode toJson(PeersMessage peers) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("Peers");
    for (PeerEndpoint peer : peers.getPeersList()) {
      ObjectNode p = list.addObject();
      if (peer.hasID()) {
        ObjectNode id = p.putObject("ID");
        if (!peer.getID().getName().isEmpty()) {
          id.put("name", peer.getID().getName());
        }
      }
      if (!peer.getAddress().isEmpty()) {
        p.put("address", peer.getAddress());
      }
      if (peer.getTypeValue() != 0) {
        p.put("type", peer.getTypeValue());
      }
      if (!peer.getPkiID().isEmpty()) {
        p.put("pkiID", Base64.getEncoder().encodeToString(peer.getPkiID().toByteArray()));
      }
    }
    return root;
  }
}
