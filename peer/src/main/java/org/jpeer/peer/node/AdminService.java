package org.jpeer.peer.node;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import org.jpeer.protos.AdminGrpc;
import org.jpeer.protos.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code protos.Admin}: what {@code peer node status} and {@code peer node stop} talk to. */
final class AdminService extends AdminGrpc.AdminImplBase {
  private static final Logger log = LoggerFactory.getLogger(AdminService.class);

  private final Runnable stopRequest;

  AdminService(Runnable stopRequest) {
    this.stopRequest = stopRequest;
  }

  @Override
  public void getStatus(Empty request, StreamObserver<ServerStatus> response) {
    reply(response, ServerStatus.StatusCode.STARTED);
  }

  /** The peer is always started while it can answer; the original answers the same. */
  @Override
  public void startServer(Empty request, StreamObserver<ServerStatus> response) {
    reply(response, ServerStatus.StatusCode.STARTED);
  }

  /** Replies first, then stops the peer, so that the caller learns the stop was accepted. */
  @Override
  public void stopServer(Empty request, StreamObserver<ServerStatus> response) {
    log.info("Stop requested through Admin.StopServer");
    reply(response, ServerStatus.StatusCode.STOPPED);
    stopRequest.run();
  }

  private static void reply(StreamObserver<ServerStatus> response, ServerStatus.StatusCode code) {
    response.onNext(ServerStatus.newBuilder().setStatus(code).build());
    response.onCompleted();
  }
}
