package org.jpeer.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP/1.1 calls to a peer's REST API, as curl makes them. */
public final class RestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  public RestClient(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** HTTPS to {@code base}, trusting what {@code tls} trusts. */
  public RestClient(URI base, javax.net.ssl.SSLContext tls) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** One answer: status, body and headers. */
  public record Reply(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + e.getMessage() + "): " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public URI base() {
    return base;
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  public Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * A JSON-RPC 2.0 call on {@code /chaincode}: {@code params} is the ChaincodeSpec's JSON,
   * {@code id} the JSON text of the id or {@code null} for a notification.
   */
  public Reply rpc(String method, String params, String id) {
    return post("/chaincode", "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params
        + (id == null ? "" : ",\"id\":" + id) + "}");
  }

  /** {@code GET /chain}'s height. */
  public long height() {
    Reply chain = get("/chain");
    if (chain.status() != 200) {
      throw new AssertionError("GET /chain answered " + chain.status() + ": " + chain.body());
    }
    return chain.json().get("height").asLong();
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException("HTTP call to " + base + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during an HTTP call", e);
    }
  }
}
