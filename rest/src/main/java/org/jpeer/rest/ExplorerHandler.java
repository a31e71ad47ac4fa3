package org.jpeer.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.Block;

/**
 * The block explorer (a jpeer extension): {@code GET /explorer/} serves a static page from the jar
 * (no build step, no CDN), and {@code /explorer/api/...} answers it the ledger's blocks and
 * transactions with their payloads decoded ({@link ExplorerJson}), so that the page needs no
 * protobuf code. {@code /explorer} redirects to {@code /explorer/} so that the page's relative
 * URLs resolve under it (and under any prefix a reverse proxy adds).
 *
 * <p>The files are a fixed list read once from the classpath: a request names one of them or gets
 * a 404, so no path, however encoded, reaches anything else.
 */
final class ExplorerHandler extends Handler.Abstract {
  static final String ROOT = "/explorer";
  private static final String API_BLOCKS = ROOT + "/api/blocks/";
  private static final String API_TRANSACTIONS = ROOT + "/api/transactions/";
  private static final String RESOURCES = "/org/jpeer/rest/explorer/";

  /** The page's own origin only: no inline script or style, no other host. */
  static final HttpField CSP = new PreEncodedHttpField("Content-Security-Policy",
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
  /** Static files: revalidate each time (a cheap 304 by ETag), so an upgraded peer's page is never stale. */
  static final HttpField REVALIDATE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");
  /** API answers change with every block. */
  static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
  static final HttpField ALLOW = new PreEncodedHttpField(HttpHeader.ALLOW, "GET, HEAD");

  /** A file of the page: its bytes, content type and entity tag. */
  record File(byte[] bytes, HttpField contentType, String etag) {}

  static final Map<String, File> FILES = Map.of(
      "index.html", load("index.html", "text/html; charset=utf-8"),
      "explorer.css", load("explorer.css", "text/css; charset=utf-8"),
      "explorer.js", load("explorer.js", "text/javascript; charset=utf-8"),
      "favicon.svg", load("favicon.svg", "image/svg+xml"));

  private final Ledger ledger;

  ExplorerHandler(Ledger ledger) {
    this.ledger = ledger;
  }

  private static File load(String name, String contentType) {
    try (InputStream in = ExplorerHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("The explorer file " + RESOURCES + name + " is missing from the jar");
      }
      byte[] bytes = in.readAllBytes();
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8) + "\"";
      return new File(bytes, new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, contentType), etag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Http.path(request);
    if (!path.equals(ROOT) && !path.startsWith(ROOT + "/")) {
      return false;
    }
    response.getHeaders().put(NOSNIFF).put(CSP);
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(ALLOW);
      Http.send(response, callback, 405, Http.error("The explorer takes GET and HEAD only"));
      return true;
    }
    if (path.equals(ROOT)) {
      // relative to the request, so that a proxy's prefix is kept
      response.getHeaders().put(HttpHeader.LOCATION, "explorer/");
      response.getHeaders().put(NO_STORE);
      Http.send(response, callback, 301, Http.error("The explorer is at explorer/"));
      return true;
    }
    if (path.startsWith(API_BLOCKS)) {
      block(path.substring(API_BLOCKS.length()), response, callback);
      return true;
    }
    if (path.startsWith(API_TRANSACTIONS)) {
      transaction(path.substring(API_TRANSACTIONS.length()), response, callback);
      return true;
    }
    String name = path.substring(ROOT.length() + 1);
    File file = FILES.get(name.isEmpty() ? "index.html" : name);
    if (file == null) {
      Http.send(response, callback, 404, Http.error("No such explorer file: " + clip(name)));
      return true;
    }
    response.getHeaders().put(file.contentType()).put(REVALIDATE).put(HttpHeader.ETAG, file.etag());
    String match = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (match != null && (match.equals("*") || java.util.Arrays.stream(match.split(",")).map(String::trim)
        .anyMatch(file.etag()::equals))) {
      response.setStatus(304);
      callback.succeeded();
      return true;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
    response.write(true, ByteBuffer.wrap(file.bytes()), callback);
    return true;
  }

  private void block(String number, Response response, Callback callback) {
    response.getHeaders().put(NO_STORE);
    long n;
    try {
      n = ChainHandler.parseUint64(number);
    } catch (NumberFormatException e) {
      Http.send(response, callback, 400, Http.error("Block id must be an integer (uint64)."));
      return;
    }
    Optional<Block> block = Long.compareUnsigned(n, ledger.height()) < 0 ? ledger.block(n) : Optional.empty();
    if (block.isEmpty()) {
      Http.send(response, callback, 404, Http.error("openchain: resource not found"));
      return;
    }
    Http.send(response, callback, 200, ExplorerJson.block(n, block.get(), ledger.failedIn(n)) + "\n");
  }

  private void transaction(String txid, Response response, Callback callback) {
    response.getHeaders().put(NO_STORE);
    if (txid.isEmpty() || txid.indexOf('/') >= 0) {
      Http.send(response, callback, 404, Http.error("Give one transaction id: /explorer/api/transactions/{txid}"));
      return;
    }
    // 200 for every well-formed id: "unknown" is an answer here, not a missing resource
    Http.send(response, callback, 200, ExplorerJson.transaction(ledger, txid) + "\n");
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
