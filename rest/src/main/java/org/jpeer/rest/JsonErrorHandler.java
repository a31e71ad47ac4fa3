package org.jpeer.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty produces before a handler runs (a malformed URI, oversized headers) as
 * {@code {"Error":"..."}} with the usual headers, instead of an HTML page, whatever the method.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** Every method gets the JSON body: Jetty's default writes one only for GET, POST and HEAD. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    CommonHeaders.put(response);
    byte[] body = Http.error(text(code, message)).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String text(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    return message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message;
  }
}
