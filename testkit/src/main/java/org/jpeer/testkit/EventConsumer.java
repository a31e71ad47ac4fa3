package org.jpeer.testkit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventsGrpc;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Register;

/**
 * A client of {@code protos.Events/Chat} as the original's Go consumer is: it registers, waits for
 * the echo, then reads events. Reads only as many messages as the test asks for
 * ({@link #stopReading}), so it can also be a consumer that stops reading. Closes its own channel.
 */
public final class EventConsumer implements AutoCloseable {
  private static final Metadata.Key<String> FROM_BLOCK = Metadata.Key.of("jpeer-from-block", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final ClientCall<Event, Event> call;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private volatile boolean reading = true;

  private EventConsumer(HostPort hub, Long fromBlock, int flowControlWindow) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(hub.host(), hub.port()).usePlaintext()
        .maxInboundMessageSize(100 * 1024 * 1024);
    if (flowControlWindow > 0) {
      b.flowControlWindow(flowControlWindow);
    }
    channel = b.build();
    call = channel.newCall(EventsGrpc.getChatMethod(), CallOptions.DEFAULT);
    Metadata headers = new Metadata();
    if (fromBlock != null) {
      headers.put(FROM_BLOCK, Long.toString(fromBlock));
    }
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(Event message) {
        received.add(message);
        if (reading) {
          call.request(1);
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        received.add(status);
      }
    }, headers);
    call.request(1);
  }

  /** A consumer of the hub at {@code hub}, from the next block (the original's behaviour). */
  public static EventConsumer connect(HostPort hub) {
    return new EventConsumer(hub, null, 0);
  }

  /** A consumer that asks for replay from {@code block} (jpeer's {@code jpeer-from-block} header). */
  public static EventConsumer from(HostPort hub, long block) {
    return new EventConsumer(hub, block, 0);
  }

  /** A consumer whose connection takes at most {@code window} bytes that it has not read. */
  public static EventConsumer withWindow(HostPort hub, int window) {
    return new EventConsumer(hub, null, window);
  }

  public static Interest interest(org.jpeer.protos.EventType type) {
    return Interest.newBuilder().setEventType(type).build();
  }

  public static Interest chaincode(String chaincodeId, String eventName) {
    return Interest.newBuilder().setEventType(org.jpeer.protos.EventType.CHAINCODE)
        .setChaincodeRegInfo(org.jpeer.protos.ChaincodeReg.newBuilder().setChaincodeID(chaincodeId)
            .setEventName(eventName)).build();
  }

  /** Registers and waits for the echo, as the Go consumer does; returns it. */
  public Event register(Interest... interests) {
    Event register = Event.newBuilder().setRegister(Register.newBuilder().addAllEvents(List.of(interests))).build();
    send(register);
    Event ack = next();
    if (!ack.hasRegister()) {
      throw new AssertionError("expected the registration's echo, got " + ack.getEventCase());
    }
    return ack;
  }

  public void send(Event event) {
    call.sendMessage(event);
  }

  /** Ends this side of the stream, as a consumer that is done does. */
  public void complete() {
    call.halfClose();
  }

  /** The next event, within {@link Await#PATIENCE}; fails if the stream ends first. */
  public Event next() {
    Object o = poll();
    if (o instanceof Status s) {
      throw new AssertionError("the event stream ended: " + s);
    }
    return (Event) o;
  }

  /** How the stream ends, skipping the events before the end. */
  public Status end() {
    while (true) {
      Object o = poll();
      if (o instanceof Status s) {
        return s;
      }
    }
  }

  /** Nothing received and not read yet. */
  public boolean idle() {
    return received.isEmpty();
  }

  /** Reads nothing more: the peer's sends stop once the connection's window is full. */
  public void stopReading() {
    reading = false;
  }

  /** Reads again, everything that comes. */
  public void readAll() {
    reading = true;
    call.request(Integer.MAX_VALUE);
  }

  private Object poll() {
    try {
      Object o = received.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      if (o == null) {
        throw new AssertionError("no event within " + Await.PATIENCE);
      }
      return o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    call.cancel("the test is done", null);
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
