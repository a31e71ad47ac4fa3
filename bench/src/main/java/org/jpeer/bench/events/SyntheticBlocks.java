package org.jpeer.bench.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * The transactions and chaincode events of one block of example02-like invokes ({@code move a b 1}),
 * shaped like the peer's: a 128-hex chaincode name (as deploy derives it), a ChaincodeInvocationSpec
 * payload of about 150 bytes, one ChaincodeEvent per transaction. Each txid looks like a UUID and
 * spells its block number and place ({@code BBBBBBBB-IIII-4000-8000-RRRRRRRRRRRR}), so that a consumer
 * can check which block an event belongs to: the Block proto has no number of its own.
 */
final class SyntheticBlocks {
  static final String EVENT_NAME = "evt";
  /** Txids spell the place in a block with 4 digits. */
  static final int MAX_BLOCK_SIZE = 9999;

  private final String chaincode;
  /** {@code -RRRRRRRRRRRR}: the end of every txid of this run. */
  private final String suffix;
  private final ByteString chaincodeId;
  private final ByteString payload;

  /**
   * @param chaincode the name consumers register for
   * @param run told apart in every txid (12 hex digits), so that txids are unique across runs too
   */
  SyntheticBlocks(String chaincode, long run) {
    this.chaincode = chaincode;
    this.suffix = String.format("-%012x", run & 0xffff_ffff_ffffL);
    ChaincodeID id = ChaincodeID.newBuilder().setName(chaincode).build();
    this.chaincodeId = id.toByteString();
    this.payload = ChaincodeInvocationSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder()
            .setType(ChaincodeSpec.Type.GOLANG)
            .setChaincodeID(id)
            .setCtorMsg(ChaincodeInput.newBuilder()
                .addArgs(utf8("move")).addArgs(utf8("a")).addArgs(utf8("b")).addArgs(utf8("1"))))
        .build().toByteString();
  }

  /** A 128-hex-digit name, like the SHA-512 names deploy gives. */
  static String chaincodeName(long seed) {
    StringBuilder s = new StringBuilder(128);
    java.util.Random r = new java.util.Random(seed);
    while (s.length() < 128) {
      s.append(Character.forDigit(r.nextInt(16), 16));
    }
    return s.toString();
  }

  String chaincode() {
    return chaincode;
  }

  int payloadBytes() {
    return payload.size();
  }

  String txid(long block, int index) {
    return String.format("%08d-%04d-4000-8000", block, index) + suffix;
  }

  /** The block number a txid of this run spells, or −1 when it is not one. */
  long blockOf(String txid) {
    // called for every event a consumer receives: no formatting here
    if (txid.length() != 36 || !txid.endsWith(suffix)) {
      return -1;
    }
    try {
      return Long.parseLong(txid.substring(0, 8));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The place in its block a txid of this run spells, or −1. */
  int indexOf(String txid) {
    if (blockOf(txid) < 0) {
      return -1;
    }
    try {
      return Integer.parseInt(txid.substring(9, 13));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One block's worth of transactions and the chaincode event of each. */
  record Block(long number, List<Transaction> transactions, List<ChaincodeEvent> events) {}

  Block block(long number, int size) {
    Instant now = Instant.now();
    Timestamp ts = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    List<Transaction> txs = new ArrayList<>(size);
    List<ChaincodeEvent> events = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String txid = txid(number, i);
      txs.add(Transaction.newBuilder()
          .setType(Transaction.Type.CHAINCODE_INVOKE)
          .setChaincodeID(chaincodeId)
          .setPayload(payload)
          .setTxid(txid)
          .setTimestamp(ts)
          .build());
      events.add(ChaincodeEvent.newBuilder()
          .setChaincodeID(chaincode)
          .setTxID(txid)
          .setEventName(EVENT_NAME)
          .setPayload(utf8("moved 1 from a to b"))
          .build());
    }
    return new Block(number, txs, events);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
