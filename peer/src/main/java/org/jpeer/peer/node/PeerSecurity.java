package org.jpeer.peer.node;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.JpeerConfig;
import org.jpeer.config.SecuritySettings;
import org.jpeer.crypto.client.EnrolmentException;
import org.jpeer.crypto.client.KeyStoreFolder;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.client.MembershipClient;
import org.jpeer.crypto.client.TransactionSignatures;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.devops.UserCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's side of {@code security.enabled}: at start the peer enrols itself with
 * {@code security.enrollID}/{@code enrollSecret} (or reads the key store of an earlier enrolment
 * under {@code <peer.fileSystemPath>/crypto/<validator|peer>/<id>}), and it keeps the channels to
 * the membership service that its users' logins and TCert requests use.
 */
final class PeerSecurity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerSecurity.class);
  static final Duration CA_DEADLINE = Duration.ofSeconds(10);

  private final List<ManagedChannel> channels;
  private final MemberCredentials self;
  private final UserCrypto users;
  private final TransactionSignatures verifier;
  private final EnrolledPeers peers;

  private PeerSecurity(List<ManagedChannel> channels, MemberCredentials self, UserCrypto users,
      TransactionSignatures verifier, EnrolledPeers peers) {
    this.peers = peers;
    this.channels = channels;
    this.self = self;
    this.users = users;
    this.verifier = verifier;
  }

  /** @throws StartRefused with one line naming what to fix, when the peer cannot be enrolled */
  static PeerSecurity start(JpeerConfig config) throws StartRefused {
    SecuritySettings s = config.security();
    SecurityLevel level;
    try {
      level = SecurityLevel.of(s.level(), s.hashAlgorithm());
    } catch (IllegalArgumentException e) {
      throw new StartRefused("security.level / security.hashAlgorithm: " + e.getMessage());
    }
    if (s.privacy()) {
      throw new StartRefused("security.privacy is true, but jpeer does not support confidential transactions yet:"
          + " set it to false");
    }
    for (String[] key : new String[][] {
        {"peer.pki.eca.paddr", s.ecaAddress()}, {"peer.pki.tca.paddr", s.tcaAddress()},
        {"peer.pki.tlsca.paddr", s.tlscaAddress()}}) {
      if (key[1].isBlank()) {
        throw new StartRefused(
            "Property not specified in configuration file. Please check that property is set: " + key[0]);
      }
    }
    if (s.enrollId().isBlank() || s.enrollSecret().isBlank()) {
      throw new StartRefused("security.enrollID and security.enrollSecret must be set when security.enabled is true");
    }
    ChannelCredentials credentials = credentials(s);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      ManagedChannel eca = channel(s.ecaAddress(), credentials, s, channels);
      ManagedChannel tca = s.tcaAddress().equals(s.ecaAddress()) ? eca : channel(s.tcaAddress(), credentials, s, channels);
      ManagedChannel tlsca = s.tlscaAddress().equals(s.ecaAddress()) ? eca : channel(s.tlscaAddress(), credentials, s, channels);
      MembershipClient client = new MembershipClient(eca, tca, tlsca, level, CA_DEADLINE, Clock.systemUTC());
      Path fsp = config.peer().fileSystemPath();
      String type = config.peer().validatorEnabled() ? "validator" : "peer";
      KeyStoreFolder store = new KeyStoreFolder(fsp.resolve("crypto").resolve(type).resolve(s.enrollId()));
      MemberCredentials self = self(store, client, s, level);
      TransactionSignatures verifier = new TransactionSignatures(level, self.tcaRoot(), self.ecaRoot());
      return new PeerSecurity(channels, self,
          new UserCrypto(client, fsp, s.tcertBatchSize()), verifier, new EnrolledPeers(client, self));
    } catch (StartRefused | RuntimeException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      throw e;
    }
  }

  private static MemberCredentials self(KeyStoreFolder store, MembershipClient client, SecuritySettings s,
      SecurityLevel level) throws StartRefused {
    try {
      var stored = store.load(level);
      if (stored.isPresent()) {
        log.info("Security enabled: enrolled as {} (key store {})", s.enrollId(), store.raw());
        return stored.get();
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new StartRefused("the key store in " + store.raw() + " is unreadable (" + e.getMessage()
          + "): restore it, or remove it and reset " + s.enrollId() + " on the membership service");
    }
    MemberCredentials enrolled;
    try {
      enrolled = client.enrol(s.enrollId(), s.enrollSecret());
    } catch (EnrolmentException e) {
      throw new StartRefused("cannot enrol " + s.enrollId() + " (security.enrollID) with the membership service at "
          + s.ecaAddress() + " (peer.pki.eca.paddr): " + e.getMessage());
    }
    try {
      store.save(enrolled);
    } catch (IOException e) {
      throw new StartRefused("cannot write the key store in " + store.raw() + ": " + e.getMessage());
    }
    log.info("Security enabled: enrolled {} with the membership service at {}", s.enrollId(), s.ecaAddress());
    return enrolled;
  }

  /**
   * Plaintext, or with {@code peer.pki.tls.enabled} TLS trusting {@code peer.pki.tls.rootcert.file}
   * (the system's roots when it is empty, as the original). The file is read here so that a missing
   * or unusable one stops the start with one line rather than failing every enrolment.
   */
  static ChannelCredentials credentials(SecuritySettings s) throws StartRefused {
    if (!s.pkiTls()) {
      return InsecureChannelCredentials.create();
    }
    if (s.pkiTlsRootCert().isEmpty()) {
      return TlsChannelCredentials.create();
    }
    Path file = s.pkiTlsRootCert().get();
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StartRefused("cannot read peer.pki.tls.rootcert.file " + file + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
        throw new StartRefused("peer.pki.tls.rootcert.file " + file + " holds no PEM certificate");
      }
      return TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(pem)).build();
    } catch (GeneralSecurityException | IOException e) {
      throw new StartRefused("peer.pki.tls.rootcert.file " + file + " is not a PEM certificate: " + e.getMessage());
    }
  }

  private static ManagedChannel channel(String address, ChannelCredentials credentials, SecuritySettings s,
      List<ManagedChannel> channels) {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address.toLowerCase(Locale.ROOT), credentials)
        .maxInboundMessageSize(8 * 1024 * 1024);
    if (s.pkiTls() && !s.pkiTlsServerHostOverride().isEmpty()) {
      builder.overrideAuthority(s.pkiTlsServerHostOverride());
    }
    ManagedChannel c = builder.build();
    channels.add(c);
    return c;
  }

  MemberCredentials self() {
    return self;
  }

  UserCrypto users() {
    return users;
  }

  TransactionSignatures verifier() {
    return verifier;
  }

  /** Signs this peer's DISC_HELLO and checks the others'. */
  EnrolledPeers peers() {
    return peers;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdown();
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      c.shutdownNow();
    }
  }

  /** The peer cannot start with this security configuration; the message is the one line to show. */
  static final class StartRefused extends Exception {
    private static final long serialVersionUID = 1L;

    StartRefused(String message) {
      super(message);
    }
  }
}
