package org.jpeer.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jpeer.crypto.Hashes;
import org.jpeer.protos.Block;
import org.jpeer.protos.Transaction;

/**
 * Fabric v0.6's block-hash rule, in one place for every caller (commit, preview, state transfer,
 * chain checks): the hash is H(the block serialized without nonHashData), where the block is read
 * as the 2016 Go runtime read it, that is with unknown protobuf fields dropped.
 */
public final class Blocks {
  private Blocks() {}

  /** A block in the form that is hashed (no nonHashData, no unknown fields), with its hash. */
  record Hashed(Block block, byte[] hash) {}

  /** The hash of any block, e.g. one received from another peer. */
  public static byte[] hash(Block block) {
    return hashed(block).hash();
  }

  /** {@code block} in its hashed form, with its hash. */
  static Hashed hashed(Block block) {
    Block form = block.toBuilder().clearNonHashData().build();
    if (hasUnknownFields(form)) {
      Block.Builder clean = form.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).clearTransactions();
      for (Transaction tx : form.getTransactionsList()) {
        clean.addTransactions(withoutUnknownFields(tx));
      }
      if (form.hasTimestamp()) {
        clean.setTimestamp(form.getTimestamp().toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()));
      }
      form = clean.build();
    }
    return new Hashed(form, Hashes.shake256(form.toByteArray()));
  }

  /**
   * The block that follows {@code previousHash} (null for the genesis block): the transactions,
   * the state hash (null: none) and the consensus metadata (empty: none), as commit and preview
   * build it. The caller adds nonHashData, which the hash does not cover.
   */
  static Hashed next(byte[] previousHash, byte[] stateHash, List<Transaction> transactions, byte[] consensusMetadata) {
    Block.Builder block = Block.newBuilder();
    for (Transaction tx : transactions) {
      block.addTransactions(tx);
    }
    if (stateHash != null) {
      block.setStateHash(ByteString.copyFrom(stateHash));
    }
    if (previousHash != null) {
      block.setPreviousBlockHash(ByteString.copyFrom(previousHash));
    }
    if (consensusMetadata != null && consensusMetadata.length > 0) {
      block.setConsensusMetadata(ByteString.copyFrom(consensusMetadata));
    }
    return hashed(block.build());
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
  static Optional<Transaction> transactionAt(byte[] serializedBlock, int index) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(serializedBlock);
    int seen = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TRANSACTIONS_TAG) {
        if (seen++ == index) {
          return Optional.of(Transaction.parseFrom(in.readBytes()));
        }
        in.skipRawBytes(in.readRawVarint32());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return Optional.empty();
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

  /**
   * The block as the original shows it (REST block reads, BLOCK events): deploy payloads lose their code
   * package (possibly many MB); a payload that does not decode (confidential) is left as it is.
   */
  public static Block withoutCodePackages(Block block) {
    Block.Builder copy = null;
    for (int i = 0; i < block.getTransactionsCount(); i++) {
      Transaction tx = block.getTransactions(i);
      if (tx.getType() != Transaction.Type.CHAINCODE_DEPLOY) {
        continue;
      }
      org.jpeer.protos.ChaincodeDeploymentSpec cds;
      try {
        cds = org.jpeer.protos.ChaincodeDeploymentSpec.parseFrom(tx.getPayload());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        continue; // e.g. a confidential payload: shown as stored
      }
      if (cds.getCodePackage().isEmpty()) {
        continue;
      }
      if (copy == null) {
        copy = block.toBuilder();
      }
      copy.setTransactions(i, tx.toBuilder().setPayload(cds.toBuilder().clearCodePackage().build().toByteString()));
    }
    return copy == null ? block : copy.build();
  }
}
