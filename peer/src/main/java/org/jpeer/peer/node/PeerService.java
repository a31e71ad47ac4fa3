package org.jpeer.peer.node;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Transaction;

/**
 * {@code protos.Peer.ProcessTransaction}: a transaction forwarded by a non-validating peer, answered
 * as the original's engine does — query results at once, the txid for an accepted deploy or invoke,
 * FAILURE with the reason otherwise. (Peer-to-peer {@code Chat} is not served.)
 */
final class PeerService extends PeerGrpc.PeerImplBase {

  private final TransactionEngine engine;

  PeerService(TransactionEngine engine) {
    this.engine = engine;
  }

  @Override
  public void processTransaction(Transaction tx, StreamObserver<Response> out) {
    out.onNext(process(tx));
    out.onCompleted();
  }

  private Response process(Transaction tx) {
    try {
      if (tx.getType() == Transaction.Type.CHAINCODE_QUERY) {
        return ok(ByteString.copyFrom(engine.query(tx)));
      }
      engine.submit(tx);
      return ok(ByteString.copyFromUtf8(tx.getTxid()));
    } catch (ChaincodeException | EngineBusyException | IllegalArgumentException e) {
      return Response.newBuilder().setStatus(Response.StatusCode.FAILURE)
          .setMsg(ByteString.copyFrom("Error:" + e.getMessage(), StandardCharsets.UTF_8)).build();
    }
  }

  private static Response ok(ByteString msg) {
    return Response.newBuilder().setStatus(Response.StatusCode.SUCCESS).setMsg(msg).build();
  }
}
