package org.jpeer.shim;

import com.google.protobuf.Timestamp;
import java.util.List;

/**
 * The view a chaincode has of the transaction or query it is running. State calls go to the peer
 * over the chaincode stream and block until it answers; a refused call throws {@link ShimException}
 * with the peer's reason.
 */
public interface ChaincodeStub {

  String txid();

  /** All arguments, the function name included, as raw bytes. */
  List<byte[]> argBytes();

  /** All arguments, the function name included, decoded as UTF-8. */
  List<String> args();

  /** {@code args[0]}, or the empty string when there are no arguments. */
  String function();

  /** {@code args[1..]}. */
  List<String> parameters();

  /** True while running init or invoke; false while answering a query (read-only). */
  boolean isTransaction();

  /** The value stored under {@code key}, or {@code null} when there is none (or it is empty). */
  byte[] getState(String key);

  /** {@link #getState} decoded as UTF-8, or {@code null}. */
  String getStringState(String key);

  void putState(String key, byte[] value);

  void putStringState(String key, String value);

  void delState(String key);

  /**
   * The keys from {@code startKey} to {@code endKey}, both inclusive; an empty {@code endKey} means
   * "to the end". The peer sends them in pages; close the iterator when done early.
   */
  StateRange rangeQuery(String startKey, String endKey);

  /** Invokes another chaincode inside this transaction; its writes join this transaction. */
  byte[] invokeChaincode(String chaincodeName, List<String> args);

  /** Queries another chaincode (read-only, committed state). */
  byte[] queryChaincode(String chaincodeName, List<String> args);

  /** Sets the chaincode event this transaction emits (the last call wins). */
  void setEvent(String eventName, byte[] payload);

  byte[] callerCertificate();

  byte[] callerSignature();

  byte[] callerMetadata();

  byte[] binding();

  /** The timestamp of the transaction being run, or {@code null} when the peer sent none. */
  Timestamp txTimestamp();
}
