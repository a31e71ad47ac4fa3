package org.jpeer.rest;

import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeersMessage;

/** {@code GET /network/peers}: the peers this peer knows, itself included, from the peer's supplier. */
final class PeersHandler extends Handler.Abstract {
  private final Supplier<? extends java.util.Collection<PeerEndpoint>> peers;

  PeersHandler(Supplier<? extends java.util.Collection<PeerEndpoint>> peers) {
    this.peers = peers;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!HttpMethod.GET.is(request.getMethod()) || !Http.path(request).equals("/network/peers")) {
      return false;
    }
    PeersMessage message = PeersMessage.newBuilder().addAllPeers(peers.get()).build();
    Http.send(response, callback, 200, ProtoJson.render(message) + "\n");
    return true;
  }
}
