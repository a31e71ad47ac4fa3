package org.jpeer.consensus;

import org.jpeer.protos.BlockchainInfo;

/** What a consenter reads of the committed chain (from any thread; always a block boundary). */
public interface ChainView {

  /** Height, current block hash and previous block hash of the committed chain. */
  BlockchainInfo blockchainInfo();

  /** {@code consensusMetadata} of the last block (empty for the genesis block and noops blocks). */
  byte[] headMetadata();

  /**
   * Whether a transaction with this txid was executed here: it is in a block of the chain, or its
   * failure is recorded. Used to drop accepted requests that were executed while this replica was
   * down or transferring state.
   */
  boolean hasTransaction(String txid);
}
