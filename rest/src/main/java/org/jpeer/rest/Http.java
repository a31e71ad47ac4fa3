package org.jpeer.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small helpers shared by the handlers: the request path, bodies with a size limit, JSON replies. */
final class Http {
  static final byte[] NO_BODY = new byte[0];

  /** The request body is larger than the configured limit. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super(null, null, false, false);
    }
  }

  private Http() {}

  static String path(Request request) {
    return request.getHttpURI().getDecodedPath();
  }

  /** Reads the whole body, refusing more than {@code max} bytes without reading them all. */
  static byte[] body(Request request, int max) throws IOException, TooLarge {
    long declared = request.getLength();
    if (declared > max) {
      throw new TooLarge();
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      // With a Content-Length (Jetty enforces it) read exactly that; chunked bodies read up to max + 1.
      int limit = declared >= 0 ? (int) declared : max == Integer.MAX_VALUE ? max : max + 1;
      byte[] data = in.readNBytes(limit);
      if (data.length > max) {
        throw new TooLarge();
      }
      return data;
    }
  }

  static void send(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  static void send(Response response, Callback callback, int status, String body) {
    send(response, callback, status, body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"Error":"..."}}, the original's shape for every non-JSON-RPC error. */
  static String error(String message) {
    return GoJson.string(new StringBuilder("{\"Error\":"), message).append('}').toString();
  }

  /** {@code {"OK":"..."}}, the original's shape for registrar successes. */
  static String ok(String message) {
    return GoJson.string(new StringBuilder("{\"OK\":"), message).append('}').toString();
  }
}
