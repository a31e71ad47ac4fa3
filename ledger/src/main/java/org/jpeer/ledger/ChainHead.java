package org.jpeer.ledger;

import com.google.protobuf.ByteString;
import org.jpeer.protos.BlockchainInfo;

/** What readers see of the chain; the ledger replaces it as a whole after each commit. */
record ChainHead(long height, byte[] currentHash, byte[] previousHash, long stateBlock, BlockchainInfo info) {
  static ChainHead of(long height, byte[] currentHash, byte[] previousHash, long stateBlock) {
    BlockchainInfo.Builder b = BlockchainInfo.newBuilder().setHeight(height);
    if (height > 0) {
      b.setCurrentBlockHash(ByteString.copyFrom(currentHash)).setPreviousBlockHash(ByteString.copyFrom(previousHash));
    }
    return new ChainHead(height, currentHash, previousHash, stateBlock, b.build());
  }
}
