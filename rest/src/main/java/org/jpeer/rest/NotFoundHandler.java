package org.jpeer.rest;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The last handler: unknown paths and wrong verbs on known paths, answered as the original does. */
final class NotFoundHandler extends Handler.Abstract.NonBlocking {
  static final String BODY = Http.error("Openchain endpoint not found.");

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Http.send(response, callback, 404, BODY);
    return true;
  }
}
