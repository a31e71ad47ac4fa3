package org.jpeer.bench.events;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jpeer.events.EventsService;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventsGrpc;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Register;

/**
 * One event consumer as a client application would be one: its own channel (its own TCP
 * connection) to {@code protos.Events/Chat}, one Register, the acknowledgement awaited, then every
 * event handed to a listener.
 *
 * <p>Each stream has its own event-loop thread, as a consumer in its own process would: with gRPC's
 * default, every channel of the process shares one small event-loop group, and in EventFanout that is
 * the same group as the hub's server, so consumers parsing events would hold up the server's writes
 * (seen: a backlog of hundreds of milliseconds that was the measuring tool's, not the hub's). The
 * listener runs on that thread (direct executor): a hand-off per event to an application pool would
 * add the client's own queueing to every figure. A listener must therefore only record and return.
 */
public final class EventStream implements AutoCloseable {

  /** Receives a stream's events, one at a time, on the transport thread. */
  public interface Listener {
    void onEvent(Event event);

    /** The peer ended the stream, or it failed, before {@link #close}; nothing follows. */
    default void onEnd(Status status) {}
  }

  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;
  private final StreamObserver<Event> requests;
  private volatile boolean closing;
  private volatile Status unexpectedEnd;

  private EventStream(ManagedChannel channel, EventLoopGroup eventLoop, StreamObserver<Event> requests) {
    this.channel = channel;
    this.eventLoop = eventLoop;
    this.requests = requests;
  }

  /** BLOCK events only. */
  public static List<Interest> blocks() {
    return List.of(Interest.newBuilder().setEventType(org.jpeer.protos.EventType.BLOCK).build());
  }

  /**
   * Connects, registers {@code interests} and returns once the hub has acknowledged them.
   *
   * @param fromBlock replay from this block first ({@value EventsService#FROM_BLOCK_HEADER}); empty: live only
   * @throws IOException when the hub refused the stream or did not acknowledge within {@code timeout}
   */
  public static EventStream open(String host, int port, OptionalLong fromBlock, List<Interest> interests,
      Listener listener, Duration timeout) throws IOException {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup eventLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("event-consumer", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
        .eventLoopGroup(eventLoop)
        .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .usePlaintext()
        .directExecutor()
        // blocks of many transactions are larger than gRPC's 4 MB default would allow in the end
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
    EventsGrpc.EventsStub stub = EventsGrpc.newStub(channel);
    if (fromBlock.isPresent()) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of(EventsService.FROM_BLOCK_HEADER, Metadata.ASCII_STRING_MARSHALLER),
          Long.toString(fromBlock.getAsLong()));
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    Event register = Event.newBuilder().setRegister(Register.newBuilder().addAllEvents(interests)).build();
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    EventStream[] self = new EventStream[1];
    StreamObserver<Event> requests = stub.chat(new StreamObserver<>() {
      @Override
      public void onNext(Event event) {
        if (!acknowledged.isDone()) {
          // the hub sends nothing before the acknowledgement, and it is the Register echoed
          if (event.equals(register)) {
            acknowledged.complete(null);
          } else {
            acknowledged.completeExceptionally(new IOException("expected the acknowledgement of the Register, got a "
                + event.getEventCase() + " event first"));
          }
          return;
        }
        listener.onEvent(event);
      }

      @Override
      public void onError(Throwable t) {
        ended(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended(Status.OK.withDescription("the peer completed the stream"));
      }

      private void ended(Status status) {
        acknowledged.completeExceptionally(new IOException("the event stream ended: " + status));
        EventStream s = self[0];
        if (s != null && !s.closing) {
          s.unexpectedEnd = status;
          listener.onEnd(status);
        }
      }
    });
    EventStream stream = new EventStream(channel, eventLoop, requests);
    self[0] = stream;
    requests.onNext(register);
    try {
      acknowledged.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      stream.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException("event stream to " + host + ":" + port + ": "
          + (e instanceof TimeoutException ? "no acknowledgement within " + timeout.toMillis() + " ms" : cause.getMessage()),
          cause);
    }
    return stream;
  }

  /** How the peer ended the stream before {@link #close}, or null if it did not. */
  public Status unexpectedEnd() {
    return unexpectedEnd;
  }

  /** Ends the stream from this side (the hub drops the subscription) and closes the channel. */
  @Override
  public void close() {
    closing = true;
    try {
      requests.onCompleted();
    } catch (IllegalStateException e) {
      // the call is over already
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
        channel.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // after the channel: it must not outlive its event loop
    eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
