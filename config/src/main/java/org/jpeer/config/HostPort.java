package org.jpeer.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} address as written in core.yaml. Port 0 means "any free port" when
 * listening. An empty host (as in {@code :7051}) means all interfaces.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * Parses {@code host:port}, {@code :port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException with a short reason when the text is not such an address
   */
  public static HostPort parse(String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("missing ':port'");
    }
    String host = t.substring(0, colon);
    String portText = t.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("an IPv6 host must be written in brackets, e.g. [::1]:7051");
    }
    if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("port " + ConfigException.quote(portText) + " is not a number");
    }
    int port = Integer.parseInt(portText);
    if (port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  /** Whether the host means "every interface" (and so is no address a client can dial). */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  /** The address a client on this machine dials to reach a server listening here. */
  public HostPort dialable() {
    return isWildcard() ? new HostPort("127.0.0.1", port) : this;
  }

  /** The same host with another port, e.g. the port a server actually bound when asked for 0. */
  public HostPort withPort(int newPort) {
    return new HostPort(host, newPort);
  }

  /** A resolved socket address to bind or connect to. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** Go-style text: {@code host:port}, IPv6 hosts in brackets. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
