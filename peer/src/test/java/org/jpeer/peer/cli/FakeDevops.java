package org.jpeer.peer.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.protos.PeersMessage;
import org.jpeer.protos.Response;
import org.jpeer.protos.Secret;

/**
 * Test double for the peer's Devops and Openchain services on a real gRPC server (127.0.0.1, port
 * 0). The real services are another module's work and cannot run here yet; this double records
 * what the CLI sent and answers like the original peer.
 */
final class FakeDevops implements AutoCloseable {
  final List<Object> requests = new CopyOnWriteArrayList<>();
  private final Server server;

  FakeDevops() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Devops())
            .addService(new Openchain())
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  private final class Devops extends DevopsGrpc.DevopsImplBase {
    @Override
    public void deploy(ChaincodeSpec request, StreamObserver<ChaincodeDeploymentSpec> response) {
      requests.add(request);
      ChaincodeSpec named =
          request.toBuilder().setChaincodeID(ChaincodeID.newBuilder().setName("a1b2c3")).build();
      response.onNext(ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(named).build());
      response.onCompleted();
    }

    @Override
    public void invoke(ChaincodeInvocationSpec request, StreamObserver<Response> response) {
      requests.add(request);
      response.onNext(
          Response.newBuilder()
              .setStatus(Response.StatusCode.SUCCESS)
              .setMsg(ByteString.copyFromUtf8("tx-1"))
              .build());
      response.onCompleted();
    }

    @Override
    public void query(ChaincodeInvocationSpec request, StreamObserver<Response> response) {
      requests.add(request);
      String name = request.getChaincodeSpec().getChaincodeID().getName();
      if (name.equals("nosuchcc")) {
        // the original's Devops answers failures as gRPC errors with code 2 (UNKNOWN)
        response.onError(
            Status.UNKNOWN
                .withDescription(
                    "Error:Failed to launch chaincode spec(Could not get deployment transaction for nosuchcc"
                        + " - LedgerError - ResourceNotFound: ledger: resource not found)")
                .asRuntimeException());
        return;
      }
      if (name.equals("failcc")) {
        response.onError(
            Status.UNKNOWN
                .withDescription("Error:Transaction or query returned with failure: {\"Error\":\"Nil amount for zz\"}")
                .asRuntimeException());
        return;
      }
      response.onNext(
          Response.newBuilder()
              .setStatus(Response.StatusCode.SUCCESS)
              .setMsg(ByteString.copyFromUtf8("90"))
              .build());
      response.onCompleted();
    }

    @Override
    public void login(Secret request, StreamObserver<Response> response) {
      requests.add(request);
      boolean ok = request.getEnrollSecret().equals("right");
      response.onNext(
          Response.newBuilder()
              .setStatus(ok ? Response.StatusCode.SUCCESS : Response.StatusCode.FAILURE)
              .setMsg(ByteString.copyFromUtf8(ok ? "" : "Identity or token does not match."))
              .build());
      response.onCompleted();
    }
  }

  private final class Openchain extends OpenchainGrpc.OpenchainImplBase {
    @Override
    public void getPeers(Empty request, StreamObserver<PeersMessage> response) {
      response.onNext(
          PeersMessage.newBuilder()
              .addPeers(
                  PeerEndpoint.newBuilder()
                      .setID(PeerID.newBuilder().setName("vp1"))
                      .setAddress("172.17.0.3:7051")
                      .setType(PeerEndpoint.Type.VALIDATOR)
                      .setPkiID(ByteString.copyFromUtf8("pki")))
              .build());
      response.onCompleted();
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
