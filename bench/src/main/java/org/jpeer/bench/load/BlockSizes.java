package org.jpeer.bench.load;

import java.nio.file.Path;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;

/**
 * Prints the serialized size of the first blocks of a stopped peer's ledger and of each deploy
 * transaction in them: what a deploy puts into the chain (the REST API strips code packages, so
 * the ledger itself is read). {@code BlockSizes <peer.fileSystemPath> [blocks]}.
 */
public final class BlockSizes {
  private BlockSizes() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: BlockSizes <peer.fileSystemPath> [blocks, default 3]");
      System.exit(2);
    }
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (PeerLedger ledger = Ledgers.open(Path.of(args[0]).resolve("db"), LedgerOptions.defaults())) {
      for (long n = 0; n < Math.min(blocks, ledger.height()); n++) {
        Block block = ledger.block(n).orElseThrow();
        System.out.printf("block %d: %d bytes, %d transactions%n", n, block.getSerializedSize(),
            block.getTransactionsCount());
        for (Transaction tx : block.getTransactionsList()) {
          if (tx.getType() == Transaction.Type.CHAINCODE_DEPLOY) {
            System.out.printf("  deploy %s: %d bytes (payload %d)%n", tx.getTxid(),
                tx.getSerializedSize(), tx.getPayload().size());
          }
        }
      }
    }
  }
}
