package org.jpeer.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jpeer.ledger.FailedTx;
import org.jpeer.ledger.Ledger;
import org.jpeer.ledger.TxFailure;
import org.jpeer.ledger.TxLocation;
import org.jpeer.protos.Block;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.ConfidentialityLevel;
import org.jpeer.protos.Transaction;

/**
 * The explorer API's JSON: blocks and transactions with the payload decoded into chaincode name,
 * function and arguments, so that the page has no protobuf code. Arguments that are valid UTF-8
 * are strings, others {@code {"base64":".."}}; a payload that does not parse (a confidential
 * transaction's is encrypted) gives {@code "decodeError"} instead of the fields.
 */
final class ExplorerJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExplorerJson() {}

  /** {@code {"number","createdAt","committedAt","transactions":[..],"failed":[..]}}; times in epoch ms. */
  static String block(long number, Block block, Optional<List<FailedTx>> failed) {
    ObjectNode out = JSON.createObjectNode();
    out.put("number", number);
    if (block.hasTimestamp()) {
      out.put("createdAt", millis(block.getTimestamp()));
    }
    if (block.getNonHashData().hasLocalLedgerCommitTimestamp()) {
      out.put("committedAt", millis(block.getNonHashData().getLocalLedgerCommitTimestamp()));
    }
    ArrayNode txs = out.putArray("transactions");
    for (Transaction tx : block.getTransactionsList()) {
      txs.add(transaction(tx));
    }
    // absent when this peer did not execute the block (state transfer): then nothing is known of failures
    failed.ifPresent(list -> {
      ArrayNode f = out.putArray("failed");
      for (FailedTx tx : list) {
        f.add(transaction(tx.transaction()).put("reason", tx.reason()));
      }
    });
    return out.toString();
  }

  /**
   * {@code {"txid","status":"committed","blockNumber","index",..decoded}}, or {@code "status":
   * "failed"} with {@code "reason"} (and the decoded fields when the block's failures are kept), or
   * {@code "status":"unknown"}.
   */
  static String transaction(Ledger ledger, String txid) {
    Optional<TxLocation> where = ledger.transactionLocation(txid);
    Optional<Transaction> tx = ledger.transaction(txid);
    if (where.isPresent() && tx.isPresent()) {
      ObjectNode out = JSON.createObjectNode().put("txid", txid).put("status", "committed")
          .put("blockNumber", where.get().blockNumber()).put("index", where.get().index());
      return out.setAll(transaction(tx.get())).toString();
    }
    Optional<TxFailure> failure = ledger.failure(txid);
    if (failure.isPresent()) {
      TxFailure f = failure.get();
      ObjectNode out = JSON.createObjectNode().put("txid", txid).put("status", "failed")
          .put("blockNumber", f.blockNumber()).put("reason", f.reason());
      ledger.failedIn(f.blockNumber()).flatMap(list -> list.stream()
              .filter(t -> t.transaction().getTxid().equals(txid)).findFirst())
          .ifPresent(t -> out.setAll(transaction(t.transaction())));
      return out.toString();
    }
    return JSON.createObjectNode().put("txid", txid).put("status", "unknown").toString();
  }

  static ObjectNode transaction(Transaction tx) {
    ObjectNode out = JSON.createObjectNode();
    out.put("txid", tx.getTxid());
    out.put("type", switch (tx.getType()) {
      case CHAINCODE_DEPLOY -> "deploy";
      case CHAINCODE_INVOKE -> "invoke";
      case CHAINCODE_QUERY -> "query";
      case CHAINCODE_TERMINATE -> "terminate";
      default -> "undefined";
    });
    if (tx.hasTimestamp()) {
      out.put("createdAt", millis(tx.getTimestamp()));
    }
    if (tx.getConfidentialityLevel() == ConfidentialityLevel.CONFIDENTIAL) {
      out.put("confidential", true);
    }
    ChaincodeSpec spec;
    try {
      spec = switch (tx.getType()) {
        case CHAINCODE_DEPLOY -> ChaincodeDeploymentSpec.parseFrom(tx.getPayload()).getChaincodeSpec();
        default -> ChaincodeInvocationSpec.parseFrom(tx.getPayload()).getChaincodeSpec();
      };
    } catch (InvalidProtocolBufferException e) {
      out.put("decodeError", "The payload is not a chaincode spec"
          + (tx.getConfidentialityLevel() == ConfidentialityLevel.CONFIDENTIAL ? " (it is encrypted)" : "")
          + ": " + e.getMessage());
      return out;
    }
    ChaincodeID id = spec.getChaincodeID();
    if (id.getName().isEmpty()) {
      try {
        // the transaction's own chaincodeID field is the marshalled ChaincodeID
        id = ChaincodeID.parseFrom(tx.getChaincodeID());
      } catch (InvalidProtocolBufferException e) {
        // keep the spec's (empty) one
      }
    }
    out.put("chaincode", id.getName());
    if (!id.getPath().isEmpty()) {
      out.put("path", id.getPath());
    }
    List<ByteString> args = spec.getCtorMsg().getArgsList();
    // the original's convention: the first argument is the function
    if (!args.isEmpty()) {
      arg(out, "function", args.get(0));
    }
    ArrayNode rest = out.putArray("args");
    for (int i = 1; i < args.size(); i++) {
      ObjectNode holder = JSON.createObjectNode();
      arg(holder, "v", args.get(i));
      rest.add(holder.get("v"));
    }
    return out;
  }

  private static void arg(ObjectNode out, String field, ByteString bytes) {
    try {
      out.put(field, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
    } catch (CharacterCodingException e) {
      out.putObject(field).put("base64", Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
