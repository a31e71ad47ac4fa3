package org.jpeer.peer.node;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.jpeer.ledger.Ledger;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockCount;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeersMessage;

/**
 * {@code protos.Openchain}: read access to the chain. GetPeers lists the other peers this peer is
 * connected to (as the original; the peer itself is not included), which for a lone peer is none.
 */
final class OpenchainService extends OpenchainGrpc.OpenchainImplBase {

  private final Ledger ledger;
  private final Supplier<List<PeerEndpoint>> connectedPeers;

  OpenchainService(Ledger ledger, Supplier<List<PeerEndpoint>> connectedPeers) {
    this.ledger = ledger;
    this.connectedPeers = connectedPeers;
  }

  @Override
  public void getBlockchainInfo(Empty request, StreamObserver<BlockchainInfo> out) {
    out.onNext(ledger.blockchainInfo());
    out.onCompleted();
  }

  @Override
  public void getBlockByNumber(BlockNumber request, StreamObserver<Block> out) {
    long n = request.getNumber();
    ledger.block(n).ifPresentOrElse(b -> {
      out.onNext(b);
      out.onCompleted();
    }, () -> out.onError(Status.NOT_FOUND
        .withDescription("block " + Long.toUnsignedString(n) + " does not exist (height " + ledger.height() + ")")
        .asRuntimeException()));
  }

  @Override
  public void getBlockCount(Empty request, StreamObserver<BlockCount> out) {
    out.onNext(BlockCount.newBuilder().setCount(ledger.height()).build());
    out.onCompleted();
  }

  @Override
  public void getPeers(Empty request, StreamObserver<PeersMessage> out) {
    out.onNext(PeersMessage.newBuilder().addAllPeers(connectedPeers.get()).build());
    out.onCompleted();
  }
}
