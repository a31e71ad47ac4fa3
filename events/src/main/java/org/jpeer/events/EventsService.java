package org.jpeer.events;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.OptionalLong;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventsGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code protos.Events/Chat}: the original's register / unregister protocol over the hub (reference
 * §3.4). Each Register or Unregister is applied interest by interest (a refused one is skipped and
 * logged, as in the original) and echoed back as the acknowledgement; an empty Event is echoed; a
 * consumer sending a block, chaincode event or rejection is ended with INVALID_ARGUMENT. When the
 * stream ends, all of its registrations go with it.
 *
 * <p>jpeer extension: a call with the header {@value #FROM_BLOCK_HEADER}: N starts at block N
 * (replay from the ledger, then live with no gap). A consumer that falls too far behind is ended
 * with RESOURCE_EXHAUSTED, saying the block to replay from.
 */
public final class EventsService extends EventsGrpc.EventsImplBase {
  private static final Logger log = LoggerFactory.getLogger(EventsService.class);
  public static final String FROM_BLOCK_HEADER = "jpeer-from-block";
  static final Metadata.Key<String> FROM_BLOCK = Metadata.Key.of(FROM_BLOCK_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> FROM_BLOCK_VALUE = Context.key(FROM_BLOCK_HEADER);

  private final EventHub hub;

  public EventsService(EventHub hub) {
    this.hub = hub;
  }

  /** This service with the interceptor that reads {@value #FROM_BLOCK_HEADER}. */
  public ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(FROM_BLOCK_VALUE, headers.get(FROM_BLOCK)), call,
            headers, next);
      }
    });
  }

  /** Parses the header's value: empty when absent. */
  static OptionalLong fromBlock(String header) {
    if (header == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(header.trim());
      if (n >= 0) {
        return OptionalLong.of(n);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(FROM_BLOCK_HEADER + " must be a block number (0 or above), got \""
        + (header.length() > 40 ? header.substring(0, 40) + "…" : header) + "\"");
  }

  @Override
  public StreamObserver<Event> chat(StreamObserver<Event> responses) {
    ServerCallStreamObserver<Event> call = (ServerCallStreamObserver<Event>) responses;
    Subscription subscription;
    try {
      subscription = hub.subscribe(new GrpcSink(call), fromBlock(FROM_BLOCK_VALUE.get()));
    } catch (IllegalArgumentException e) {
      call.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return new Ignoring();
    } catch (SubscribeRefused e) {
      call.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
      return new Ignoring();
    }
    call.setOnCancelHandler(() -> subscription.end(new Ending(Ending.Reason.CONSUMER_DONE, "cancelled")));
    call.setOnReadyHandler(subscription::wake);
    return new StreamObserver<>() {
      @Override
      public void onNext(Event event) {
        switch (event.getEventCase()) {
          case REGISTER:
            logRefused("register", subscription.register(event.getRegister().getEventsList(), event));
            break;
          case UNREGISTER:
            logRefused("unregister", subscription.unregister(event.getUnregister().getEventsList(), event));
            break;
          case EVENT_NOT_SET:
            subscription.acknowledge(event);
            break;
          default:
            subscription.end(new Ending(Ending.Reason.BAD_MESSAGE, "a consumer may send only register and unregister"
                + " events, not " + event.getEventCase().name().toLowerCase(java.util.Locale.ROOT)));
        }
      }

      @Override
      public void onError(Throwable t) {
        subscription.end(new Ending(Ending.Reason.CONSUMER_DONE, "the stream failed: " + Status.fromThrowable(t)));
      }

      @Override
      public void onCompleted() {
        subscription.end(new Ending(Ending.Reason.CONSUMER_DONE, "the consumer ended the stream"));
      }
    };
  }

  private static void logRefused(String what, List<String> refused) {
    for (String why : refused) {
      log.debug("Event consumer's {} skipped an interest: {}", what, why);
    }
  }

  /** A gRPC stream as a sink: ready when gRPC's flow control says so. */
  private static final class GrpcSink implements EventSink {
    private final ServerCallStreamObserver<Event> call;

    GrpcSink(ServerCallStreamObserver<Event> call) {
      this.call = call;
    }

    @Override
    public boolean isReady() {
      return call.isReady() && !call.isCancelled();
    }

    @Override
    public void send(Event event, long block, int index) {
      call.onNext(event);
    }

    @Override
    public void end(Ending ending) {
      if (call.isCancelled()) {
        return;
      }
      switch (ending.reason()) {
        case CONSUMER_DONE -> call.onCompleted();
        case FELL_BEHIND -> call.onError(Status.RESOURCE_EXHAUSTED.withDescription(ending.message()).asRuntimeException());
        case BAD_MESSAGE -> call.onError(Status.INVALID_ARGUMENT.withDescription(ending.message()).asRuntimeException());
        case HUB_CLOSED -> call.onError(Status.UNAVAILABLE.withDescription(ending.message()).asRuntimeException());
      }
    }
  }

  /** The requests of a call that was refused. */
  private static final class Ignoring implements StreamObserver<Event> {
    @Override
    public void onNext(Event value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
