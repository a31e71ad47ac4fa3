package org.jpeer.peer.node;

import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.chaincode.ChaincodeService;
import org.jpeer.chaincode.ChaincodeSupport;
import org.jpeer.chaincode.ExecutionResult;
import org.jpeer.ledger.StateReader;
import org.jpeer.ledger.TxState;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeMessage;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.ChaincodeSupportGrpc;
import org.jpeer.protos.Transaction;

/**
 * The chaincode support, created only once the gRPC server is bound: launched chaincode must dial
 * the peer's real address, which is unknown before when {@code peer.address} has port 0. Until then
 * (and after close) calls fail with a clear message.
 */
final class LateChaincode implements ChaincodeService {

  private final AtomicReference<ChaincodeSupport> support = new AtomicReference<>();

  void set(ChaincodeSupport s) {
    support.set(s);
  }

  private ChaincodeSupport get() throws ChaincodeException {
    ChaincodeSupport s = support.get();
    if (s == null) {
      throw new ChaincodeException("chaincode support is not running (the peer is starting or stopping)");
    }
    return s;
  }

  /** {@code protos.ChaincodeSupport}, forwarding each Register stream to the support. */
  BindableService grpcService() {
    return new ChaincodeSupportGrpc.ChaincodeSupportImplBase() {
      @Override
      public StreamObserver<ChaincodeMessage> register(StreamObserver<ChaincodeMessage> out) {
        ChaincodeSupport s = support.get();
        if (s == null) {
          out.onError(Status.UNAVAILABLE.withDescription("chaincode support is not running").asRuntimeException());
          return new StreamObserver<>() {
            @Override
            public void onNext(ChaincodeMessage value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          };
        }
        return ((ChaincodeSupportGrpc.AsyncService) s.grpcService()).register(out);
      }
    };
  }

  @Override
  public ChaincodeDeploymentSpec prepareDeploy(ChaincodeSpec spec) throws ChaincodeException {
    return get().prepareDeploy(spec);
  }

  @Override
  public ExecutionResult execute(Transaction tx, TxState state) throws ChaincodeException {
    return get().execute(tx, state);
  }

  @Override
  public byte[] query(Transaction tx, StateReader committed) throws ChaincodeException {
    return get().query(tx, committed);
  }

  /** Why chaincode could not be launched now, or empty. */
  java.util.Optional<String> runtimeProblem() {
    ChaincodeSupport s = support.get();
    return s == null ? java.util.Optional.of("chaincode support is not running (the peer is starting or stopping)")
        : s.runtimeProblem();
  }

  @Override
  public void close() {
    ChaincodeSupport s = support.getAndSet(null);
    if (s != null) {
      s.close();
    }
  }
}
