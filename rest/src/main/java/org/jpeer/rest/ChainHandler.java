package org.jpeer.rest;

import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jpeer.ledger.Blocks;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.Block;

/** {@code GET /chain} (blockchain info) and {@code GET /chain/blocks/{n}}. */
final class ChainHandler extends Handler.Abstract {
  private static final String BLOCKS = "/chain/blocks/";

  private final Ledger ledger;

  ChainHandler(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    String path = Http.path(request);
    if (path.equals("/chain")) {
      Http.send(response, callback, 200, ProtoJson.render(ledger.blockchainInfo()) + "\n");
      return true;
    }
    if (!path.startsWith(BLOCKS) || path.length() == BLOCKS.length() || path.indexOf('/', BLOCKS.length()) >= 0) {
      return false;
    }
    String number = path.substring(BLOCKS.length());
    long n;
    try {
      n = parseUint64(number);
    } catch (NumberFormatException e) {
      Http.send(response, callback, 400, Http.error("Block id must be an integer (uint64)."));
      return true;
    }
    Optional<Block> block = Long.compareUnsigned(n, ledger.height()) < 0 ? ledger.block(n) : Optional.empty();
    if (block.isEmpty()) {
      Http.send(response, callback, 404, Http.error("openchain: resource not found"));
    } else {
      Http.send(response, callback, 200, ProtoJson.render(Blocks.withoutCodePackages(block.get())) + "\n");
    }
    return true;
  }

  /** Go's {@code strconv.ParseUint(s, 10, 64)}: decimal digits only, no sign. */
  static long parseUint64(String s) {
    if (s.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(s);
      }
    }
    return Long.parseUnsignedLong(s);
  }
}
