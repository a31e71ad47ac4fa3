package org.jpeer.consensus;

import org.jpeer.protos.BlockchainInfo;

/** What a consenter reads of the committed chain (from any thread; always a block boundary). */
public interface ChainView {

  /** Height, current block hash and previous block hash of the committed chain. */
  BlockchainInfo blockchainInfo();

  /** {@code consensusMetadata} of the last block (empty for the genesis block and noops blocks). */
  byte[] headMetadata();
}
