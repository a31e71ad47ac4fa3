package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import java.util.Base64;
import java.util.List;
import org.jpeer.crypto.Hashes;
import org.jpeer.protos.Block;
import org.jpeer.protos.NonHashData;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.Test;

/** The one block-hash rule: H(block without nonHashData), unknown fields dropped wherever they are. */
class BlocksTest {
  /** An unknown field 111 (varint 1), as a newer peer's protobuf could add. */
  private static final UnknownFieldSet EXTRA = UnknownFieldSet.newBuilder()
      .addField(111, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();

  private static Block block() {
    return Block.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(1795479820).setNanos(465747489))
        .addTransactions(Transaction.newBuilder().setTxid("t1")
            .setTimestamp(Timestamp.newBuilder().setSeconds(1795479820)))
        .setStateHash(ByteString.copyFromUtf8("state"))
        .setPreviousBlockHash(ByteString.copyFromUtf8("previous"))
        .build();
  }

  @Test
  void theHashIsOfTheBlockWithoutNonHashData() {
    Block plain = block();
    assertThat(Blocks.hash(plain)).isEqualTo(Hashes.shake256(plain.toByteArray()));
    Block stored = plain.toBuilder().setNonHashData(NonHashData.newBuilder()
        .setLocalLedgerCommitTimestamp(Timestamp.newBuilder().setSeconds(5))).build();
    assertThat(Blocks.hash(stored)).isEqualTo(Blocks.hash(plain));
    assertThat(Base64.getEncoder().encodeToString(Blocks.hash(Block.getDefaultInstance())))
        .as("the genesis block's hash, as the original's")
        .isEqualTo("RrndKwuojRMjOz/rdD7rJD/NUupiuBuCtQwnZG7Vdi/XXcTd2MDyAMsFAZ1ntZL2/IIcSUeatIZAKS6ss7fEvg==");
  }

  @Test
  void unknownFieldsOfTheBlockItsTimestampItsTransactionsAndTheirTimestampsAreDropped() {
    Block plain = block();
    byte[] expected = Blocks.hash(plain);
    Block inBlock = plain.toBuilder().setUnknownFields(EXTRA).build();
    Block inTimestamp = plain.toBuilder().setTimestamp(plain.getTimestamp().toBuilder().setUnknownFields(EXTRA)).build();
    Block inTransaction = plain.toBuilder()
        .setTransactions(0, plain.getTransactions(0).toBuilder().setUnknownFields(EXTRA)).build();
    Block inTxTimestamp = plain.toBuilder().setTransactions(0, plain.getTransactions(0).toBuilder()
        .setTimestamp(plain.getTransactions(0).getTimestamp().toBuilder().setUnknownFields(EXTRA))).build();
    for (Block extended : List.of(inBlock, inTimestamp, inTransaction, inTxTimestamp)) {
      assertThat(extended.toByteArray()).isNotEqualTo(plain.toByteArray());
      assertThat(Blocks.hash(extended)).as(extended.toString()).isEqualTo(expected);
      assertThat(Blocks.hashed(extended).block()).isEqualTo(plain);
    }
  }

  @Test
  void theNextBlockIsBuiltAsTheOriginalBuildsIt() {
    byte[] previous = Blocks.hash(Block.getDefaultInstance());
    Transaction tx = Transaction.newBuilder().setTxid("t1").setUnknownFields(EXTRA).build();
    Blocks.Hashed next = Blocks.next(previous, new byte[] {1, 2}, List.of(tx), new byte[] {8, 2});
    Block expected = Block.newBuilder().addTransactions(Transaction.newBuilder().setTxid("t1"))
        .setStateHash(ByteString.copyFrom(new byte[] {1, 2})).setPreviousBlockHash(ByteString.copyFrom(previous))
        .setConsensusMetadata(ByteString.copyFrom(new byte[] {8, 2})).build();
    assertThat(next.block()).isEqualTo(expected);
    assertThat(next.hash()).isEqualTo(Hashes.shake256(expected.toByteArray()));
    // the genesis block: no previous hash, no state, no metadata: the empty block
    assertThat(Blocks.next(null, null, List.of(), new byte[0]).block()).isEqualTo(Block.getDefaultInstance());
  }

  @Test
  void aTransactionIsFoundByItsIndexInTheSerializedBlock() throws Exception {
    Block block = Block.newBuilder()
        .setStateHash(ByteString.copyFromUtf8("before the transactions"))
        .addTransactions(Transaction.newBuilder().setTxid("t0").setPayload(ByteString.copyFromUtf8("zero")))
        .addTransactions(Transaction.newBuilder().setTxid("t1"))
        .addTransactions(Transaction.newBuilder().setTxid("t2").setPayload(ByteString.copyFromUtf8("two")))
        .setNonHashData(NonHashData.newBuilder().setLocalLedgerCommitTimestamp(Timestamp.newBuilder().setSeconds(1)))
        .build();
    byte[] bytes = block.toByteArray();
    for (int i = 0; i < 3; i++) {
      assertThat(Blocks.transactionAt(bytes, i)).contains(block.getTransactions(i));
    }
    assertThat(Blocks.transactionAt(bytes, 3)).isEmpty();
    assertThat(Blocks.transactionAt(Block.getDefaultInstance().toByteArray(), 0)).isEmpty();
  }
}
