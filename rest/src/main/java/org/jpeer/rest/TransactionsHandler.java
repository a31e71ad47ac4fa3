package org.jpeer.rest;

import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.TxFailure;
import org.jpeer.protos.Transaction;

/**
 * {@code GET /transactions/{id}}: the committed transaction, or 404. Unlike the original, a
 * transaction that was ordered but failed gets its own 404 body naming the block and the reason.
 */
final class TransactionsHandler extends Handler.Abstract {
  private static final String PREFIX = "/transactions/";

  private final Ledger ledger;

  TransactionsHandler(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Http.path(request);
    if (!HttpMethod.GET.is(request.getMethod())
        || !path.startsWith(PREFIX)
        || path.length() == PREFIX.length()
        || path.indexOf('/', PREFIX.length()) >= 0) {
      return false;
    }
    String txid = path.substring(PREFIX.length());
    Optional<Transaction> tx = ledger.transaction(txid);
    if (tx.isPresent()) {
      Http.send(response, callback, 200, ProtoJson.render(tx.get()) + "\n");
      return true;
    }
    Optional<TxFailure> failure = ledger.failure(txid);
    Http.send(response, callback, 404, failure.map(TransactionsHandler::failed).orElseGet(() -> unknown(txid)));
    return true;
  }

  static String unknown(String txid) {
    return Http.error("Transaction " + txid + " is not found.");
  }

  /**
   * {@code {"Error":"Transaction <id> failed in block <n>: <reason>","failure":{"txid":..,
   * "blockNumber":n,"reason":..}}}: still a 404 so that clients of the original keep reading
   * "not in the ledger", with the reason for those who look.
   */
  static String failed(TxFailure f) {
    StringBuilder out = new StringBuilder(128);
    out.append("{\"Error\":");
    GoJson.string(out, "Transaction " + f.txid() + " failed in block " + f.blockNumber() + ": " + f.reason());
    out.append(",\"failure\":{\"txid\":");
    GoJson.string(out, f.txid());
    out.append(",\"blockNumber\":").append(f.blockNumber()).append(",\"reason\":");
    GoJson.string(out, f.reason());
    return out.append("}}").toString();
  }
}
