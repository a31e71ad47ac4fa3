package org.jpeer.consensus.pbft;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.pbft.Metadata;
import org.jpeer.protos.pbft.RequestBatch;

/**
 * The identifiers PBFT puts on the wire, byte for byte as Fabric v0.6 computes them
 * (reference consensus.md §5.4): batch digests, checkpoint ids and block metadata.
 */
public final class Digests {
  private Digests() {}

  /** The digest of the null request. */
  public static final String NULL_REQUEST = "";

  /** Base64 (standard, padded) of SHAKE256-512 over the serialized batch: 88 characters. */
  public static String batchDigest(RequestBatch batch) {
    return batchDigest(batch.toByteArray());
  }

  /** The digest of a batch already serialized. */
  static String batchDigest(byte[] serializedBatch) {
    return Base64.getEncoder().encodeToString(shake256(serializedBatch));
  }

  /** A checkpoint id: Base64 of the serialized BlockchainInfo after executing the checkpoint's sequence number. */
  public static String checkpointId(BlockchainInfo info) {
    return Base64.getEncoder().encodeToString(info.toByteArray());
  }

  /** The BlockchainInfo inside a checkpoint id, if it is one. */
  public static Optional<BlockchainInfo> chainInfo(String checkpointId) {
    try {
      return Optional.of(BlockchainInfo.parseFrom(Base64.getDecoder().decode(checkpointId)));
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** {@code Block.consensusMetadata} of the batch with sequence number {@code seqNo}. */
  public static byte[] metadata(long seqNo) {
    return Metadata.newBuilder().setSeqNo(seqNo).build().toByteArray();
  }

  /** The PBFT sequence number stored in a block's consensusMetadata; 0 when there is none (genesis, noops). */
  public static long seqNo(byte[] consensusMetadata) {
    if (consensusMetadata == null || consensusMetadata.length == 0) {
      return 0;
    }
    try {
      return Metadata.parseFrom(consensusMetadata).getSeqNo();
    } catch (InvalidProtocolBufferException e) {
      return 0;
    }
  }

  static byte[] shake256(MessageLite message) {
    return shake256(message.toByteArray());
  }

  /**
   * BouncyCastle's SHAKE256, not the ledger's hand-written sponge (`org.jpeer.crypto`): with that one
   * the simulation failed in some runs only, from the 129th seed on, as if its compiled code hashed
   * differently once warmed up (3 of about 8 runs of the same code; none with BouncyCastle).
   */
  static byte[] shake256(byte[] bytes) {
    SHAKEDigest d = new SHAKEDigest(256);
    d.update(bytes, 0, bytes.length);
    byte[] out = new byte[64];
    d.doFinal(out, 0, out.length);
    return out;
  }
}
