package org.jpeer.peer.node;

import java.util.Map;
import org.jpeer.config.HostPort;

/**
 * A long-lived part of a running peer besides its gRPC services (ledger, engine, REST server,
 * event hub, ...). Components are started in list order after the gRPC server is listening, and
 * closed in reverse order after it has stopped. Every composed component is closed exactly once,
 * also when its own or an earlier component's start failed: {@link #close()} must cope with a
 * component that never started or started only halfway.
 */
public interface NodeComponent extends AutoCloseable {

  /**
   * Starts the component.
   *
   * @return the addresses it now listens on, by a short name such as {@code rest} or
   *     {@code events}; written to the peer's addresses file and logged. Empty if it listens on
   *     nothing.
   * @throws Exception when it cannot start; the peer then stops with that message
   */
  Map<String, HostPort> start() throws Exception;

  /** A component that only needs closing, such as an already-open ledger. */
  static NodeComponent closing(AutoCloseable resource) {
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        return Map.of();
      }

      @Override
      public void close() throws Exception {
        resource.close();
      }

      @Override
      public String toString() {
        return resource.toString();
      }
    };
  }
}
