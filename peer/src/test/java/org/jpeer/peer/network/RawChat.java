package org.jpeer.peer.network;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerGrpc;

/**
 * A hand-driven Chat client built only from the generated stubs: what a foreign peer (or an attacker)
 * would send, with nothing of the network layer under test.
 */
final class RawChat implements AutoCloseable {
  private final ManagedChannel channel;
  private final StreamObserver<Message> out;
  final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
  volatile Status closed;

  RawChat(HostPort address) {
    channel = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build();
    out = PeerGrpc.newStub(channel).chat(new StreamObserver<>() {
      @Override
      public void onNext(Message value) {
        received.add(value);
      }

      @Override
      public void onError(Throwable t) {
        closed = Status.fromThrowable(t);
      }

      @Override
      public void onCompleted() {
        closed = Status.OK;
      }
    });
  }

  synchronized RawChat send(Message msg) {
    out.onNext(msg);
    return this;
  }

  /** The next message of {@code type}, skipping others (e.g. DISC_GET_PEERS). */
  Message next(Message.Type type) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Message m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no " + type + " within 20 s" + (closed == null ? "" : "; stream closed: " + closed));
      }
      if (m.getType() == type) {
        return m;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
