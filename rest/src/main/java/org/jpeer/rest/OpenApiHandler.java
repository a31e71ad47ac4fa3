package org.jpeer.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /openapi.json}: the OpenAPI 3 description of this REST API (also {@code docs/openapi.json}). */
final class OpenApiHandler extends Handler.Abstract.NonBlocking {
  static final String PATH = "/openapi.json";
  static final String RESOURCE = "openapi.json";

  private final byte[] document = load();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!Http.path(request).equals(PATH) || !HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    Http.send(response, callback, 200, document);
    return true;
  }

  static byte[] load() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
