package org.jpeer.ledger;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;

/** Fabric v0.6 block hashing: H(serialized block without nonHashData), unknown fields dropped. */
public final class Blocks {
  private Blocks() {}

  public static byte[] hash(Block block) {
    Block hashed = block.toBuilder().clearNonHashData().build();
    if (hasUnknownFields(hashed)) {
      Block.Builder clean = hashed.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
      clean.clearTransactions();
      for (Transaction tx : hashed.getTransactionsList()) {
        clean.addTransactions(withoutUnknownFields(tx));
      }
      if (hashed.hasTimestamp()) {
        clean.setTimestamp(hashed.getTimestamp().toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()));
      }
      hashed = clean.build();
    }
    return Hashes.shake256(hashed.toByteArray());
  }

  /**
   * The transaction as the original would re-serialize it: Go's 2016 proto3 runtime dropped unknown
   * fields, protobuf-java keeps them, and a peer adding fields must not make block hashes diverge.
   */
  static Transaction withoutUnknownFields(Transaction tx) {
    if (tx.getUnknownFields().asMap().isEmpty() && tx.getTimestamp().getUnknownFields().asMap().isEmpty()) {
      return tx;
    }
    Transaction.Builder b = tx.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
    if (tx.hasTimestamp()) {
      b.setTimestamp(tx.getTimestamp().toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()));
    }
    return b.build();
  }

  /**
   * Transaction {@code index} of a serialized block, parsing only that transaction: a lookup by txid
   * should not decode the other 499 of a full block.
   */
  static java.util.Optional<Transaction> transactionAt(byte[] serializedBlock, int index) throws java.io.IOException {
    CodedInputStream in = CodedInputStream.newInstance(serializedBlock);
    int seen = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TRANSACTIONS_TAG) {
        if (seen++ == index) {
          return java.util.Optional.of(Transaction.parseFrom(in.readBytes()));
        }
        in.skipRawBytes(in.readRawVarint32());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return java.util.Optional.empty();
  }

  private static final int TRANSACTIONS_TAG = (Block.TRANSACTIONS_FIELD_NUMBER << 3) | 2;

  private static boolean hasUnknownFields(Block block) {
    if (!block.getUnknownFields().asMap().isEmpty() || !block.getTimestamp().getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    for (Transaction tx : block.getTransactionsList()) {
      if (withoutUnknownFields(tx) != tx) {
        return true;
      }
    }
    return false;
  }
}
