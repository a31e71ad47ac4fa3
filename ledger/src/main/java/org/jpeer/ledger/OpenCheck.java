package org.jpeer.ledger;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.jpeer.protos.Block;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consistency check a ledger passes before it serves anything. */
final class OpenCheck {
  private static final Logger LOG = LoggerFactory.getLogger(OpenCheck.class);

  private OpenCheck() {}

  /** Refuses a ledger whose blockchain info, last block or state hash do not agree. */
  static ChainHead run(Store store, StateStore state, LedgerOptions options) {
    byte[] count = store.get(store.blockchain, RocksLedger.BLOCK_COUNT_KEY);
    if (count == null) {
      try (RocksIterator it = store.db.newIterator(store.blockchain)) {
        it.seekToFirst();
        if (it.isValid()) {
          throw damaged(store.dir, "blocks are stored but the block count is missing");
        }
      }
      return ChainHead.of(0, new byte[0], new byte[0], -1);
    }
    long height;
    try {
      height = Codec.readU64be(count);
    } catch (IllegalArgumentException e) {
      throw damaged(store.dir, "the block count is " + count.length + " bytes long instead of 8");
    }
    if (height <= 0 || height > (1L << 48)) {
      throw damaged(store.dir, "the block count " + height + " is out of range");
    }
    if (store.get(store.blockchain, Codec.u64be(height)) != null) {
      throw damaged(store.dir, "block " + height + " is stored beyond the recorded height " + height);
    }
    Block last = store.readBlock(height - 1).orElseThrow(() -> damaged(store.dir, "the last block " + (height - 1) + " is missing"));
    byte[] lastHash = Blocks.hash(last);
    if (height >= 2) {
      Optional<Block> before = store.readBlock(height - 2);
      if (before.isPresent() && !Arrays.equals(Blocks.hash(before.get()), last.getPreviousBlockHash().toByteArray())) {
        throw damaged(store.dir, "block " + (height - 1) + " does not chain to block " + (height - 2));
      }
    }
    byte[] stateBlockBytes = store.get(store.indexes, RocksLedger.STATE_BLOCK_KEY);
    long stateBlock = stateBlockBytes == null ? height - 1 : Codec.readU64be(stateBlockBytes);
    if (stateBlock == RocksLedger.INCOMPLETE_STATE) {
      LOG.warn("The world state in {} is incomplete (a state transfer was interrupted); it must be transferred"
          + " again before this peer executes transactions", store.dir);
    }
    Optional<Block> stateBlockContent = stateBlock == RocksLedger.INCOMPLETE_STATE ? Optional.empty()
        : stateBlock == height - 1 ? Optional.of(last) : store.readBlock(stateBlock);
    if (stateBlockContent.isPresent()) {
      byte[] expected = stateBlockContent.get().getStateHash().toByteArray();
      byte[] actual = RocksLedger.nullToEmpty(state.committedHash());
      if (options.dataStructure() == LedgerOptions.StateStructure.BUCKETTREE && !Arrays.equals(expected, actual)) {
        throw damaged(store.dir, "the world state hash " + Base64Text.of(actual) + " differs from block " + stateBlock
            + "'s state hash " + Base64Text.of(expected)
            + " (damaged files, or numBuckets/maxGroupingAtEachLevel changed since the ledger was created)");
      }
    }
    return ChainHead.of(height, lastHash, last.getPreviousBlockHash().toByteArray(), stateBlock);
  }

  static LedgerException damaged(Path dir, String what) {
    return new LedgerException("The ledger in " + dir + " is damaged: " + what
        + ". Refusing to start; restore the directory from a backup, or move it away and let the peer"
        + " resynchronise from the network.");
  }
}
