package org.jpeer.events;

import java.util.List;
import java.util.Optional;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.LedgerListener;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Block;
import org.jpeer.protos.Rejection;

/** The ledger as the hub's history, and the listener that publishes each block the ledger stores. */
public final class LedgerHistory implements BlockHistory {
  private final Ledger ledger;

  public LedgerHistory(Ledger ledger) {
    this.ledger = ledger;
  }

  /** A hub over {@code ledger} that publishes every block stored from now on. */
  public static EventHub hubFor(PeerLedger ledger, HubSettings settings) {
    EventHub hub = new EventHub(new LedgerHistory(ledger), settings);
    ledger.addListener(new LedgerListener() {
      @Override
      public void committed(long number, Block block, List<FailedTx> failed) {
        hub.committed(number, block, rejections(failed));
      }

      @Override
      public void stored(long number, Block block) {
        hub.received(number);
      }
    });
    return hub;
  }

  @Override
  public long height() {
    return ledger.height();
  }

  @Override
  public Optional<Block> block(long number) {
    return ledger.block(number);
  }

  @Override
  public Optional<List<Rejection>> rejections(long number) {
    return ledger.failedIn(number).map(LedgerHistory::rejections);
  }

  static List<Rejection> rejections(List<FailedTx> failed) {
    return failed.stream()
        .map(f -> Rejection.newBuilder().setTx(f.transaction()).setErrorMsg(f.reason()).build())
        .toList();
  }
}
