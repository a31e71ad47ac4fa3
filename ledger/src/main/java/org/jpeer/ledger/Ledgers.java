package org.jpeer.ledger;

import java.nio.file.Path;

/** Opens ledgers. */
public final class Ledgers {
  private Ledgers() {}

  /**
   * Opens (creating if missing) the ledger in {@code dir} — the original's
   * {@code <peer.fileSystemPath>/db} — checks its consistency, and commits the genesis block when the
   * chain is empty.
   *
   * @throws LedgerException when the files are damaged or inconsistent; the message says what and how to recover
   */
  public static PeerLedger open(Path dir, LedgerOptions options) {
    return RocksLedger.open(dir, options);
  }
}
