package org.jpeer.rest;

import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code POST /chaincode} (JSON-RPC 2.0) and its CORS preflight {@code OPTIONS /chaincode}. */
final class ChaincodeHandler extends Handler.Abstract {
  private final ChaincodeRpc rpc;
  private final int maxRequestBytes;

  ChaincodeHandler(ChaincodeRpc rpc, int maxRequestBytes) {
    this.rpc = rpc;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!Http.path(request).equals("/chaincode")) {
      return false;
    }
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "POST");
      Http.send(response, callback, 200, Http.NO_BODY);
      return true;
    }
    if (!HttpMethod.POST.is(method)) {
      return false;
    }
    RpcReply reply;
    try {
      reply = rpc.handle(Http.body(request, maxRequestBytes));
    } catch (Http.TooLarge e) {
      reply = RpcReply.error(413, RpcError.INVALID_REQUEST,
          "Request body exceeds the limit of " + maxRequestBytes + " bytes.", null);
    } catch (IOException e) {
      reply = RpcReply.error(500, RpcError.INTERNAL_ERROR, "Internal JSON-RPC error when reading request body.", null);
    }
    Http.send(response, callback, reply.status(), reply.body());
    return true;
  }
}
