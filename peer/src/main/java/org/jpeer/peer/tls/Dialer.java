package org.jpeer.peer.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.Optional;
import org.jpeer.config.HostPort;
import org.jpeer.config.TlsSettings;
import org.jpeer.peer.tls.PeerTls.TlsException;

/**
 * How the peer and its CLI dial a peer: plaintext, or with {@code peer.tls.enabled} TLS trusting
 * {@link TlsSettings#trustedRoots()} and expecting {@code peer.tls.serverhostoverride} as the server's
 * name when it is set (as the original's clients do). The roots are read once, when it is made.
 */
public final class Dialer {
  private final ChannelCredentials credentials;
  private final String authority;

  private Dialer(ChannelCredentials credentials, String authority) {
    this.credentials = credentials;
    this.authority = authority;
  }

  public static Dialer plaintext() {
    return new Dialer(InsecureChannelCredentials.create(), "");
  }

  /** Plaintext when {@code tls} is empty. */
  public static Dialer of(Optional<TlsSettings> tls) throws TlsException {
    if (tls.isEmpty()) {
      return plaintext();
    }
    TlsSettings t = tls.get();
    try {
      ChannelCredentials c = TlsChannelCredentials.newBuilder().trustManager(t.trustedRoots().toFile()).build();
      return new Dialer(c, t.serverHostOverride());
    } catch (IOException | RuntimeException e) {
      String key = t.rootCertFile().isPresent() ? "peer.tls.rootcert.file" : "peer.tls.cert.file";
      String reason = e instanceof IOException io ? PeerTls.reason(io) : e.getMessage();
      throw new TlsException("cannot read the TLS roots to trust, " + key + " " + t.trustedRoots() + ": " + reason);
    }
  }

  public boolean tls() {
    return !(credentials instanceof InsecureChannelCredentials);
  }

  /** A channel builder for {@code target}; the caller adds its own limits and builds it. */
  public NettyChannelBuilder to(HostPort target) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(target.host(), target.port(), credentials);
    if (!authority.isEmpty()) {
      builder.overrideAuthority(authority);
    }
    return builder;
  }
}
