package org.jpeer.membersrvc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code bin/membersrvc}: opens the state, makes or reads the three CAs,
 * registers the configured users and serves ECAP, ECAA, TCAP, TCAA, TLSCAP and TLSCAA on one port.
 */
final class MembershipService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipService.class);
  // the largest request is a registration or a TCert batch request: a few hundred bytes
  private static final int MAX_REQUEST = 64 * 1024;

  private final CaStore store;
  private final Server server;

  private MembershipService(CaStore store, Server server) {
    this.store = store;
    this.server = server;
  }

  static MembershipService start(MembersrvcOptions o) {
    try {
      StateFiles.createOwnerOnlyDirectories(o.stateDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the membership state folder " + o.stateDir(), e);
    }
    CaStore store = CaStore.open(o.stateDir().resolve("db"));
    try {
      CertificateAuthority ecaKey = CertificateAuthority.openOrCreate(o.stateDir(), "eca", o.level(), o.organization(), o.country());
      CertificateAuthority tcaKey = CertificateAuthority.openOrCreate(o.stateDir(), "tca", o.level(), o.organization(), o.country());
      CertificateAuthority tlsKey = CertificateAuthority.openOrCreate(o.stateDir(), "tlsca", o.level(), o.organization(), o.country());
      EnrolmentLimiter limiter = new EnrolmentLimiter(o.enrolmentFailures(), o.enrolmentBackoff(), System::nanoTime);
      Eca eca = new Eca(ecaKey, store, o.level(), o.affiliations(), limiter, o.stateDir());
      int added = eca.seed(o.users());
      Tca tca = new Tca(tcaKey, eca, store, o.level(), o.affiliations(), o.stateDir());
      TlsCa tlsca = new TlsCa(tlsKey, eca, store, o.level());
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress(o.listen().host(), o.listen().port()),
                  o.tls().map(ServerTls::credentials).orElseGet(InsecureServerCredentials::create))
              .maxInboundMessageSize(MAX_REQUEST)
              .addService(new EcapService(eca, store))
              .addService(new EcaaService(eca, o.level()))
              .addService(new TcaServices.Public(tca))
              .addService(new TcaServices.Admin())
              .addService(new TlsCaServices.Public(tlsca))
              .addService(new TlsCaServices.Admin())
              .build()
              .start();
      int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
      LOG.info("Membership service (ECA, TCA, TLS CA; security level {}) listening on {}:{}{}, state in {}{}",
          o.level(), o.listen().host(), port, o.tls().isPresent() ? " with TLS" : "", o.stateDir(), added > 0 ? "; " + added + " users registered from the configuration" : "");
      return new MembershipService(store, server);
    } catch (IOException e) {
      store.close();
      throw new UncheckedIOException("cannot listen on " + o.listen() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
