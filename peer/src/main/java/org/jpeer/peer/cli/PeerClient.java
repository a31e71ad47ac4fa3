package org.jpeer.peer.cli;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.node.RunFiles;
import org.jpeer.peer.tls.Dialer;
import org.jpeer.peer.tls.PeerTls;
import org.jpeer.protos.AdminGrpc;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;

/**
 * A gRPC connection from the CLI to the peer at {@code peer.address}. A wildcard host is dialled
 * as 127.0.0.1; a port of 0 is replaced by the port a peer on this machine recorded in its
 * addresses file under {@code peer.fileSystemPath}.
 */
final class PeerClient implements AutoCloseable {
  private static final long ADMIN_DEADLINE_SECONDS = 5;
  private static final long OPENCHAIN_DEADLINE_SECONDS = 30;
  private static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  private final HostPort target;
  private final ManagedChannel channel;

  private PeerClient(HostPort target, Dialer dialer) {
    this.target = target;
    this.channel = dialer.to(target).maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
  }

  /** TLS with {@code peer.tls.enabled}, trusting the roots of {@code peer.tls.*}, as the original's CLI. */
  private static Dialer dialer(JpeerConfig config) throws CliException {
    try {
      return Dialer.of(config.tls());
    } catch (PeerTls.TlsException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  static PeerClient open(JpeerConfig config) throws CliException {
    return new PeerClient(target(config), dialer(config));
  }

  static PeerClient open(JpeerConfig config, HostPort target) throws CliException {
    return new PeerClient(target, dialer(config));
  }

  /** Where the CLI dials, as described in the class comment. */
  static HostPort target(JpeerConfig config) throws CliException {
    return resolve(config, config.peer().address(), RunFiles.GRPC, "peer.address");
  }

  /** A connection to the peer's event hub at {@code peer.validator.events.address}, resolved the same way. */
  static PeerClient openEvents(JpeerConfig config) throws CliException {
    return new PeerClient(resolve(config, config.peer().eventsAddress(), RunFiles.EVENTS,
        "peer.validator.events.address"), dialer(config));
  }

  private static HostPort resolve(JpeerConfig config, HostPort configured, String record, String key)
      throws CliException {
    if (configured.port() != 0) {
      return configured.dialable();
    }
    RunFiles files = new RunFiles(config.peer().fileSystemPath());
    HostPort recorded;
    try {
      recorded = files.readAddresses().get(record);
    } catch (IOException e) {
      throw CliException.failure("cannot read " + files.addressesFile() + ": " + e.getMessage(), e);
    }
    if (recorded == null) {
      throw CliException.failure(
          key
              + " "
              + configured
              + " has port 0 and no running peer recorded its port in "
              + files.addressesFile());
    }
    return configured.withPort(recorded.port()).dialable();
  }

  ManagedChannel channel() {
    return channel;
  }

  HostPort target() {
    return target;
  }

  AdminGrpc.AdminBlockingStub admin() {
    return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(ADMIN_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** No deadline: a deploy waits for the chaincode to build and start, as long as the peer allows. */
  DevopsGrpc.DevopsBlockingStub devops() {
    return DevopsGrpc.newBlockingStub(channel);
  }

  OpenchainGrpc.OpenchainBlockingStub openchain() {
    return OpenchainGrpc.newBlockingStub(channel)
        .withDeadlineAfter(OPENCHAIN_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Turns a failed call into the error the user sees: "not available on this peer" when the peer
   * does not serve the method, a connection error when it cannot be reached, else the original's
   * {@code <context>: rpc error: code = N desc = ...}.
   *
   * @param context the original's prefix, e.g. {@code Error querying chaincode}
   * @param what the user's command, e.g. {@code peer chaincode query}
   */
  CliException failure(StatusRuntimeException e, String context, String what, MethodDescriptor<?, ?> method) {
    Status status = e.getStatus();
    return switch (status.getCode()) {
      case UNIMPLEMENTED ->
          CliException.failure(
              what
                  + " is not available on this peer: "
                  + target
                  + " does not serve "
                  + method.getFullMethodName(),
              e);
      case UNAVAILABLE -> CliException.failure(context + ": " + connectionError(e), e);
      default ->
          CliException.failure(
              context + ": rpc error: code = " + status.getCode().value() + " desc = " + description(status), e);
    };
  }

  /** The original's text for a peer that cannot be reached. */
  String connectionError(StatusRuntimeException e) {
    return "Error trying to connect to local peer at " + target + ": " + description(e.getStatus());
  }

  private static String description(Status status) {
    String desc = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null && !desc.contains(cause.getMessage())) {
      desc = desc + ": " + cause.getMessage();
    }
    return desc.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
