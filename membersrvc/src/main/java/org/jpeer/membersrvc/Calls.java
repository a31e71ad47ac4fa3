package org.jpeer.membersrvc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one unary call: the result, the refusal it threw, or INTERNAL for a fault of ours. */
final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  static <T> void answer(String method, StreamObserver<T> out, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      LOG.debug("{} refused: {}", method, e.getStatus().getDescription());
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      LOG.error("{} failed", method, e);
      out.onError(Status.INTERNAL.withDescription(method + " failed: " + e.getMessage()).asRuntimeException());
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
