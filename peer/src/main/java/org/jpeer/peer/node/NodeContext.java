package org.jpeer.peer.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.tls.Dialer;
import org.jpeer.peer.tls.PeerTls;

/**
 * What the composition root may use while wiring the peer: the configuration, the gRPC address
 * (known only once the server is bound, which matters when the configured port is 0) and a way to
 * stop the peer.
 */
public final class NodeContext {
  private final JpeerConfig config;
  private final Runnable stopRequest;
  private final AtomicReference<HostPort> boundGrpc = new AtomicReference<>();
  private final Optional<PeerTls> tls;
  private final Dialer dialer;

  NodeContext(JpeerConfig config, Runnable stopRequest) {
    this(config, stopRequest, Optional.empty(), Dialer.plaintext());
  }

  NodeContext(JpeerConfig config, Runnable stopRequest, Optional<PeerTls> tls, Dialer dialer) {
    this.config = config;
    this.stopRequest = stopRequest;
    this.tls = tls;
    this.dialer = dialer;
  }

  /** The peer's TLS identity with {@code peer.tls.enabled}, read and checked at start. */
  public Optional<PeerTls> tls() {
    return tls;
  }

  /** How this peer dials other peers: TLS with {@code peer.tls.enabled}. */
  public Dialer dialer() {
    return dialer;
  }

  public JpeerConfig config() {
    return config;
  }

  /** Asks the peer to shut down cleanly; returns at once. */
  public void requestStop() {
    stopRequest.run();
  }

  /**
   * The address the gRPC server is bound to, e.g. {@code 127.0.0.1:40123} when
   * {@code peer.listenAddress} was {@code 127.0.0.1:0}.
   *
   * @throws IllegalStateException before the server is bound (so not during composition itself;
   *     call it from a component's start or later)
   */
  public HostPort grpcListenAddress() {
    HostPort bound = boundGrpc.get();
    if (bound == null) {
      throw new IllegalStateException("the gRPC server is not bound yet");
    }
    return bound;
  }

  /**
   * The address others (chaincode processes, other peers, the CLI) dial to reach this peer:
   * {@code peer.address}, with the bound port when its port is 0 and with 127.0.0.1 when its host
   * is a wildcard. With {@code peer.addressAutoDetect} the host is this machine's first
   * non-loopback IPv4 address instead, as the original's GetLocalAddress.
   */
  public HostPort grpcAdvertisedAddress() {
    HostPort configured = config.peer().address();
    HostPort withPort = configured.port() == 0 ? configured.withPort(grpcListenAddress().port()) : configured;
    if (config.peer().addressAutoDetect()) {
      return localIpv4().map(ip -> new HostPort(ip, withPort.port())).orElse(withPort.dialable());
    }
    return withPort.dialable();
  }

  private static Optional<String> localIpv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      // no interface list: fall back to the configured address
    }
    return Optional.empty();
  }

  void bound(HostPort address) {
    boundGrpc.set(address);
  }
}
