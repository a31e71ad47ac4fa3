package org.jpeer.peer.node;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jpeer.crypto.client.TransactionSignatures;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.peer.network.PeerNetwork;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Transaction;

/**
 * {@code protos.Peer}: {@code Chat}, the peer-to-peer streams (served by the {@link PeerNetwork}),
 * and {@code ProcessTransaction}, a transaction forwarded by a non-validating peer, answered as the
 * original's engine does — query results at once, the txid for an accepted deploy or invoke,
 * FAILURE with the reason otherwise. A non-validating peer forwards it in turn.
 */
final class PeerService extends PeerGrpc.PeerImplBase {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PeerService.class);

  private final TransactionEngine engine;
  private final PeerNetwork network;
  private final Optional<TransactionSignatures> verifier;

  /** @param verifier with security on: what every transaction arriving here must pass (§2.6) */
  PeerService(TransactionEngine engine, PeerNetwork network, Optional<TransactionSignatures> verifier) {
    this.engine = engine;
    this.network = network;
    this.verifier = verifier;
  }

  @Override
  public StreamObserver<Message> chat(StreamObserver<Message> responses) {
    return network.chat(responses);
  }

  @Override
  public void processTransaction(Transaction tx, StreamObserver<Response> out) {
    out.onNext(process(tx));
    out.onCompleted();
  }

  private Response process(Transaction tx) {
    Optional<String> refused = verifier.flatMap(v -> v.problem(tx));
    if (refused.isPresent()) {
      log.debug("transaction {} refused: {}", tx.getTxid(), refused.get());
      return Response.newBuilder().setStatus(Response.StatusCode.FAILURE)
          .setMsg(ByteString.copyFrom(refused.get(), StandardCharsets.UTF_8)).build();
    }
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
