package org.jpeer.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeMessage.Type;
import org.jpeer.protos.ChaincodeSecurityContext;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.PutStateInfo;
import org.jpeer.protos.RangeQueryState;

/** The stub of one running transaction or query. */
final class TxStub implements ChaincodeStub {
  private final ShimHandler handler;
  private final String txid;
  private final boolean transaction;
  private final List<byte[]> argBytes;
  private final List<String> args;
  private final ChaincodeSecurityContext security;
  private volatile ChaincodeEvent event;

  TxStub(ShimHandler handler, String txid, boolean transaction, ChaincodeInput input,
      ChaincodeSecurityContext security) {
    this.handler = handler;
    this.txid = txid;
    this.transaction = transaction;
    this.security = security;
    List<byte[]> raw = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (ByteString arg : input.getArgsList()) {
      raw.add(arg.toByteArray());
      text.add(arg.toStringUtf8());
    }
    this.argBytes = List.copyOf(raw);
    this.args = List.copyOf(text);
  }

  ChaincodeEvent event() {
    return event;
  }

  @Override
  public String txid() {
    return txid;
  }

  @Override
  public List<byte[]> argBytes() {
    return argBytes.stream().map(byte[]::clone).toList();
  }

  @Override
  public List<String> args() {
    return args;
  }

  @Override
  public String function() {
    return args.isEmpty() ? "" : args.get(0);
  }

  @Override
  public List<String> parameters() {
    return args.isEmpty() ? List.of() : args.subList(1, args.size());
  }

  @Override
  public boolean isTransaction() {
    return transaction;
  }

  @Override
  public byte[] getState(String key) {
    ByteString value = handler.request(txid, Type.GET_STATE, ByteString.copyFromUtf8(key));
    // the peer answers an absent key with an empty payload; Go chaincode sees nil there too
    return value.isEmpty() ? null : value.toByteArray();
  }

  @Override
  public String getStringState(String key) {
    byte[] value = getState(key);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public void putState(String key, byte[] value) {
    if (!transaction) {
      throw new ShimException("Cannot put state in query context");
    }
    requireKey(key);
    if (value == null || value.length == 0) {
      throw new ShimException(EMPTY_KEY_OR_VALUE);
    }
    handler.post(txid, Type.PUT_STATE, PutStateInfo.newBuilder().setKey(key)
        .setValue(ByteString.copyFrom(value)).build().toByteString());
  }

  /** The peer's text for the writes it refuses; checked here because writes do not wait for it. */
  static final String EMPTY_KEY_OR_VALUE = "An empty string key or a nil value is not supported";

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new ShimException(EMPTY_KEY_OR_VALUE);
    }
  }

  @Override
  public void putStringState(String key, String value) {
    putState(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void delState(String key) {
    if (!transaction) {
      throw new ShimException("Cannot del state in query context");
    }
    requireKey(key);
    handler.post(txid, Type.DEL_STATE, ByteString.copyFromUtf8(key));
  }

  @Override
  public StateRange rangeQuery(String startKey, String endKey) {
    ByteString page = handler.request(txid, Type.RANGE_QUERY_STATE,
        RangeQueryState.newBuilder().setStartKey(startKey).setEndKey(endKey).build().toByteString());
    return new RangeIterator(handler, txid, page);
  }

  @Override
  public byte[] invokeChaincode(String chaincodeName, List<String> args) {
    if (!transaction) {
      throw new ShimException("Cannot invoke chaincode in query context");
    }
    return callChaincode(Type.INVOKE_CHAINCODE, Type.COMPLETED, chaincodeName, args);
  }

  @Override
  public byte[] queryChaincode(String chaincodeName, List<String> args) {
    return callChaincode(Type.INVOKE_QUERY, Type.QUERY_COMPLETED, chaincodeName, args);
  }

  private byte[] callChaincode(Type request, Type success, String chaincodeName,
      List<String> args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    args.forEach(a -> input.addArgs(ByteString.copyFromUtf8(a)));
    ChaincodeSpec spec = ChaincodeSpec.newBuilder()
        .setChaincodeID(ChaincodeID.newBuilder().setName(chaincodeName)).setCtorMsg(input).build();
    ByteString payload = handler.request(txid, request, spec.toByteString());
    ChaincodeMessage answer;
    try {
      answer = ChaincodeMessage.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new ShimException("the peer's answer to " + request + " is not a ChaincodeMessage: "
          + e.getMessage());
    }
    if (answer.getType() != success) {
      throw new ShimException(answer.getPayload().toStringUtf8());
    }
    return answer.getPayload().toByteArray();
  }

  @Override
  public void setEvent(String eventName, byte[] payload) {
    if (eventName == null || eventName.isEmpty()) {
      throw new IllegalArgumentException("an event needs a non-empty name");
    }
    event = ChaincodeEvent.newBuilder().setEventName(eventName)
        .setPayload(payload == null ? ByteString.EMPTY : ByteString.copyFrom(payload)).build();
  }

  @Override
  public byte[] callerCertificate() {
    return security.getCallerCert().toByteArray();
  }

  @Override
  public byte[] callerSignature() {
    return security.getCallerSign().toByteArray();
  }

  @Override
  public byte[] callerMetadata() {
    return security.getMetadata().toByteArray();
  }

  @Override
  public byte[] binding() {
    return security.getBinding().toByteArray();
  }

  @Override
  public Timestamp txTimestamp() {
    return security.hasTxTimestamp() ? security.getTxTimestamp() : null;
  }
}
