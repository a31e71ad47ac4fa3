package org.jpeer.devops;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.ExecuteWithBinding;
import org.jpeer.protos.Response;
import org.jpeer.protos.Secret;
import org.jpeer.protos.SigmaInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code protos.Devops} gRPC service over {@link Devops}, with the original's answers: a failed
 * deploy, invoke or query is a gRPC error whose description is the failure text (status UNKNOWN,
 * what a Go server sends for a returned error); a full engine queue is RESOURCE_EXHAUSTED so that
 * clients can tell "retry later" from "failed". Login enrols the user when security is on and
 * answers FAILURE "Security NOT enabled" when it is off, as do the EXP_* calls (application
 * TCerts, prepared bindings, sigmas), which with security on answer SUCCESS or FAILURE with a text.
 */
public final class DevopsGrpcService extends DevopsGrpc.DevopsImplBase {
  private static final Logger log = LoggerFactory.getLogger(DevopsGrpcService.class);
  static final String SECURITY_NOT_ENABLED = "Security NOT enabled";

  private final Devops devops;

  public DevopsGrpcService(Devops devops) {
    this.devops = Objects.requireNonNull(devops, "devops");
  }

  @Override
  public void login(Secret request, StreamObserver<Response> out) {
    if (devops.security().isEmpty()) {
      reply(out, failure(SECURITY_NOT_ENABLED));
      return;
    }
    if (request.getEnrollId().isEmpty() || request.getEnrollSecret().isEmpty()) {
      reply(out, failure("enrollId and enrollSecret may not be blank."));
      return;
    }
    try {
      devops.security().get().login(request.getEnrollId(), request.getEnrollSecret());
      reply(out, Response.newBuilder().setStatus(Response.StatusCode.SUCCESS).build());
    } catch (DevopsException e) {
      reply(out, failure(capped(e.getMessage())));
    } catch (RuntimeException e) {
      out.onError(internal(e));
    }
  }

  @Override
  public void build(ChaincodeSpec request, StreamObserver<ChaincodeDeploymentSpec> out) {
    answer(out, () -> devops.build(request));
  }

  @Override
  public void deploy(ChaincodeSpec request, StreamObserver<ChaincodeDeploymentSpec> out) {
    answer(out, () -> devops.deploy(request));
  }

  @Override
  public void invoke(ChaincodeInvocationSpec request, StreamObserver<Response> out) {
    answer(out, () -> success(ByteString.copyFromUtf8(devops.invoke(request))));
  }

  @Override
  public void query(ChaincodeInvocationSpec request, StreamObserver<Response> out) {
    answer(out, () -> success(ByteString.copyFrom(devops.query(request))));
  }

  @Override
  public void eXPGetApplicationTCert(Secret request, StreamObserver<Response> out) {
    secured(out, users -> ByteString.copyFrom(users.applicationTCert(request.getEnrollId())));
  }

  @Override
  public void eXPPrepareForTx(Secret request, StreamObserver<Response> out) {
    secured(out, users -> ByteString.copyFrom(users.prepare(request.getEnrollId())));
  }

  @Override
  public void eXPProduceSigma(SigmaInput request, StreamObserver<Response> out) {
    secured(out, users -> ByteString.copyFrom(users.sigma(request.getSecret().getEnrollId(),
        request.getAppTCert().toByteArray(), request.getData().toByteArray())));
  }

  @Override
  public void eXPExecuteWithBinding(ExecuteWithBinding request, StreamObserver<Response> out) {
    secured(out, users -> ByteString.copyFromUtf8(
        devops.executeWithBinding(request.getChaincodeInvocationSpec(), request.getBinding().toByteArray())));
  }

  /** An EXP_* call of a secured peer. */
  @FunctionalInterface
  private interface SecuredCall {
    ByteString call(UserCrypto users) throws DevopsException, EngineBusyException;
  }

  /**
   * As the original's EXP_* calls: every failure is a FAILURE response with its text, never a gRPC
   * error, and with security off the text is "Security NOT enabled".
   */
  private void secured(StreamObserver<Response> out, SecuredCall call) {
    if (devops.security().isEmpty()) {
      reply(out, failure(SECURITY_NOT_ENABLED));
      return;
    }
    try {
      reply(out, success(call.call(devops.security().get())));
    } catch (DevopsException | EngineBusyException e) {
      reply(out, failure(capped(e.getMessage())));
    } catch (RuntimeException e) {
      out.onError(internal(e));
    }
  }

  /** One Devops call whose failures map to the gRPC statuses described on this class. */
  @FunctionalInterface
  private interface DevopsCall<T> {
    T call() throws DevopsException, EngineBusyException;
  }

  private static <T> void answer(StreamObserver<T> out, DevopsCall<T> call) {
    T value;
    try {
      value = call.call();
    } catch (DevopsException e) {
      out.onError(failed(e));
      return;
    } catch (EngineBusyException e) {
      out.onError(busy(e));
      return;
    } catch (RuntimeException e) {
      out.onError(internal(e));
      return;
    }
    reply(out, value);
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  private static Response success(ByteString msg) {
    return Response.newBuilder().setStatus(Response.StatusCode.SUCCESS).setMsg(msg).build();
  }

  private static Response failure(String msg) {
    return Response.newBuilder()
        .setStatus(Response.StatusCode.FAILURE)
        .setMsg(ByteString.copyFrom(msg, StandardCharsets.UTF_8))
        .build();
  }

  private static RuntimeException failed(DevopsException e) {
    return Status.UNKNOWN.withDescription(capped(e.getMessage())).asRuntimeException();
  }

  private static RuntimeException internal(RuntimeException e) {
    log.warn("Devops call failed unexpectedly", e);
    return Status.INTERNAL.withDescription("Internal error: " + e).withCause(e).asRuntimeException();
  }

  private static RuntimeException busy(EngineBusyException e) {
    return Status.RESOURCE_EXHAUSTED.withDescription(capped(e.getMessage())).asRuntimeException();
  }

  /** Status texts travel in a header (grpc-message): an error that echoes a 1 MB key must not make a 1 MB one. */
  static final int MAX_DESCRIPTION_CHARS = 1024;

  static String capped(String text) {
    if (text == null || text.length() <= MAX_DESCRIPTION_CHARS) {
      return text;
    }
    return text.substring(0, MAX_DESCRIPTION_CHARS) + "… (" + text.length() + " characters in all)";
  }
}
