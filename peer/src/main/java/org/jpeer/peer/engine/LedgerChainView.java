package org.jpeer.peer.engine;

import org.jpeer.consensus.ChainView;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;

/**
 * The committed chain as a consenter sees it: the ledger's BlockchainInfo and the
 * {@code consensusMetadata} of its last block (the original's {@code GetBlockHeadMetadata}; PBFT
 * restores its last executed sequence number from it). Thread-safe; every read is at a block boundary.
 */
public final class LedgerChainView implements ChainView {

  private static final byte[] NONE = new byte[0];

  private final Ledger ledger;

  public LedgerChainView(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public BlockchainInfo blockchainInfo() {
    return ledger.blockchainInfo();
  }

  @Override
  public byte[] headMetadata() {
    // info and block are read separately; a commit in between is harmless: the metadata read is
    // that of the block at the height read, which exists
    long height = ledger.height();
    if (height == 0) {
      return NONE;
    }
    return ledger.block(height - 1).map(Block::getConsensusMetadata).map(m -> m.toByteArray()).orElse(NONE);
  }

  @Override
  public boolean hasTransaction(String txid) {
    return ledger.transactionLocation(txid).isPresent() || ledger.failure(txid).isPresent();
  }
}
