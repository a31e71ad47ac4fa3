package org.jpeer.rest;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the headers the original sends on every answer (JSON content type and CORS), and turns an
 * unexpected failure of a handler into a JSON 500 instead of Jetty's HTML page.
 */
final class CommonHeaders extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(CommonHeaders.class);

  static final HttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
  static final HttpField ALLOW_ORIGIN = new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  static final HttpField ALLOW_HEADERS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "accept, content-type");

  CommonHeaders(Handler handler) {
    super(handler);
  }

  static void put(Response response) {
    response.getHeaders().put(CONTENT_TYPE).put(ALLOW_ORIGIN).put(ALLOW_HEADERS);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    put(response);
    try {
      return super.handle(request, response, callback);
    } catch (Exception e) {
      log.warn("REST {} {} failed", request.getMethod(), Http.path(request), e);
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        Http.send(response, callback, 500, Http.error("Internal error: " + e));
      }
      return true;
    }
  }
}
