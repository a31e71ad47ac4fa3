package org.jpeer.devops;

import java.time.Instant;
import com.google.protobuf.Timestamp;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;

/**
 * Builds transactions field for field as the original's {@code NewChaincodeDeployTransaction} and
 * {@code NewChaincodeExecute} do with security off: the serialized ChaincodeID, the serialized
 * spec as payload, the txid and a UTC timestamp; everything else empty. Public so that tests build
 * their transactions exactly as the peer does.
 */
public final class Transactions {
  private Transactions() {}

  public static Transaction deploy(ChaincodeDeploymentSpec cds, String txid, Instant now) {
    Transaction.Builder tx = base(Transaction.Type.CHAINCODE_DEPLOY, cds.getChaincodeSpec(), txid, now);
    return tx.setPayload(cds.toByteString()).build();
  }

  public static Transaction execute(Transaction.Type type, ChaincodeInvocationSpec cis, String txid, Instant now) {
    Transaction.Builder tx = base(type, cis.getChaincodeSpec(), txid, now);
    return tx.setPayload(cis.toByteString()).build();
  }

  private static Transaction.Builder base(Transaction.Type type, ChaincodeSpec spec, String txid, Instant now) {
    Transaction.Builder tx =
        Transaction.newBuilder()
            .setType(type)
            .setTxid(txid)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
    if (spec.hasChaincodeID()) {
      tx.setChaincodeID(spec.getChaincodeID().toByteString());
    }
    return tx;
  }
}
