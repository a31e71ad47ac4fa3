package org.jpeer.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.ConfigInputs;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.AdminGrpc;
import org.jpeer.protos.ServerStatus;
import org.jpeer.testkit.PeerEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer's life cycle in-process: real gRPC on 127.0.0.1 port 0, real files. */
class PeerNodeTest {
  @TempDir Path dir;
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** The kit's environment of a peer under test, read in-process. */
  private PeerEnv env() {
    return PeerEnv.forHome(dir);
  }

  private Path fs() {
    return env().fileSystemPath();
  }

  private JpeerConfig config(String... envPairs) {
    PeerEnv env = env();
    for (int i = 0; i < envPairs.length; i += 2) {
      env = env.with(envPairs[i], envPairs[i + 1]);
    }
    return JpeerConfig.load(new ConfigInputs(env.vars(), dir, List.of()));
  }

  /** A component that records its life cycle and may listen somewhere or fail to start. */
  private NodeComponent component(String name, Map<String, HostPort> listens, boolean failStart) {
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() throws Exception {
        if (failStart) {
          throw new IllegalStateException(name + " cannot open its database:\nlocked");
        }
        events.add("start " + name);
        return listens;
      }

      @Override
      public void close() {
        events.add("close " + name);
      }
    };
  }

  private static ServerStatus status(HostPort address) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build();
    try {
      return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).getStatus(Empty.getDefaultInstance());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void componentsStartInOrderAfterBindingAndCloseInReverse() throws Exception {
    NodeContext[] seen = new NodeContext[1];
    PeerNode node =
        PeerNode.start(
            config(),
            context -> {
              seen[0] = context;
              return new NodeParts(
                  List.of(new AdminService(context::requestStop)),
                  List.of(
                      component("ledger", Map.of(), false),
                      component("rest", Map.of("rest", new HostPort("127.0.0.1", 41234)), false)));
            });
    try {
      HostPort grpc = node.addresses().get(RunFiles.GRPC);
      assertThat(grpc.port()).isPositive();
      assertThat(node.addresses()).containsEntry("rest", new HostPort("127.0.0.1", 41234));
      assertThat(events).containsExactly("start ledger", "start rest");
      assertThat(seen[0].grpcListenAddress()).isEqualTo(grpc);
      assertThat(seen[0].grpcAdvertisedAddress()).isEqualTo(grpc);
      assertThat(new RunFiles(fs()).readAddresses()).isEqualTo(node.addresses());
      assertThat(status(grpc).getStatus()).isEqualTo(ServerStatus.StatusCode.STARTED);
    } finally {
      node.close();
    }
    assertThat(events).containsExactly("start ledger", "start rest", "close rest", "close ledger");
    assertThat(fs().resolve("peer.addresses")).doesNotExist();
    node.close(); // idempotent
    assertThat(events).hasSize(4);
  }

  @Test
  void addressAutoDetectAdvertisesAMachineAddressWithTheBoundPort() throws Exception {
    NodeContext[] seen = new NodeContext[1];
    PeerNode node =
        PeerNode.start(
            config("CORE_PEER_ADDRESSAUTODETECT", "true"),
            context -> {
              seen[0] = context;
              return new NodeParts(List.of(), List.of());
            });
    try {
      HostPort advertised = seen[0].grpcAdvertisedAddress();
      assertThat(advertised.port()).isEqualTo(node.addresses().get(RunFiles.GRPC).port());
      assertThat(advertised.isWildcard()).isFalse();
      assertThat(advertised.host()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    } finally {
      node.close();
    }
  }

  @Test
  void stopServerRepliesThenStopsThePeer() throws Exception {
    PeerNode node =
        PeerNode.start(
            config(),
            context -> new NodeParts(List.of(new AdminService(context::requestStop)), List.of(component("engine", Map.of(), false))));
    HostPort grpc = node.addresses().get(RunFiles.GRPC);
    ManagedChannel channel = NettyChannelBuilder.forAddress(grpc.host(), grpc.port()).usePlaintext().build();
    try {
      ServerStatus reply =
          AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).stopServer(Empty.getDefaultInstance());
      assertThat(reply.getStatus()).isEqualTo(ServerStatus.StatusCode.STOPPED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    node.awaitStopped();
    assertThat(events).containsExactly("start engine", "close engine");
  }

  @Test
  void failingComponentClosesEverythingAndGivesOneLine() {
    assertThatThrownBy(
            () ->
                PeerNode.start(
                    config(),
                    context ->
                        new NodeParts(
                            List.of(),
                            List.of(
                                component("ledger", Map.of(), false),
                                component("rest", Map.of(), true),
                                component("events", Map.of(), false)))))
        .isInstanceOf(PeerStartException.class)
        .hasMessage("cannot start the peer: rest cannot open its database: locked");
    // all composed components are closed in reverse order, started or not
    assertThat(events).containsExactly("start ledger", "close events", "close rest", "close ledger");
    assertThat(fs().resolve("peer.addresses")).doesNotExist();
  }

  @Test
  void portInUseIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  PeerNode.start(
                      config("CORE_PEER_LISTENADDRESS", listen),
                      context -> new NodeParts(List.of(), List.of(component("ledger", Map.of(), false)))))
          .isInstanceOf(PeerStartException.class)
          .hasMessageStartingWith("cannot listen on " + listen + " (peer.listenAddress): ")
          .hasMessageNotContaining("\n");
      assertThat(events).containsExactly("close ledger");
    }
  }

  @Test
  void refusesTlsWithoutItsFilesOrWithDockerAndAFileSystemPathThatIsAFile() throws Exception {
    // the bundled defaults name the original's testdata/server1.pem, which is not here
    assertThatThrownBy(() -> PeerNode.start(config("CORE_PEER_TLS_ENABLED", "true")))
        .isInstanceOf(PeerStartException.class)
        .hasMessage("cannot read peer.tls.cert.file " + Path.of("testdata/server1.pem").toAbsolutePath()
            + ": no such file (peer.tls.enabled is true)");
    org.jpeer.testkit.TestCertificates ca = org.jpeer.testkit.TestCertificates.authority(dir.resolve("pki"), "t");
    org.jpeer.testkit.TestCertificates.Server server = ca.server("vp0");
    assertThatThrownBy(() -> PeerNode.start(config("CORE_PEER_TLS_ENABLED", "true",
            "CORE_PEER_TLS_CERT_FILE", server.certFile().toString(), "CORE_PEER_TLS_KEY_FILE", server.keyFile().toString(),
            "CORE_CHAINCODE_RUNTIME", "docker")))
        .isInstanceOf(PeerStartException.class)
        .hasMessageStartingWith("peer.tls.enabled with chaincode.runtime docker is not supported");
    assertThatThrownBy(() -> PeerNode.start(config("CORE_SECURITY_ENABLED", "true", "CORE_SECURITY_PRIVACY", "true")))
        .isInstanceOf(PeerStartException.class)
        .hasMessage("cannot start the peer: security.privacy is true, but jpeer does not support confidential"
            + " transactions yet: set it to false");
    // nothing listens on port 1: the enrolment fails at once, and the peer says where it tried
    assertThatThrownBy(() -> PeerNode.start(config("CORE_SECURITY_ENABLED", "true",
            "CORE_PEER_PKI_ECA_PADDR", "127.0.0.1:1", "CORE_PEER_PKI_TCA_PADDR", "127.0.0.1:1",
            "CORE_PEER_PKI_TLSCA_PADDR", "127.0.0.1:1")))
        .isInstanceOf(PeerStartException.class)
        .hasMessageStartingWith("cannot start the peer: cannot enrol vp (security.enrollID) with the membership"
            + " service at 127.0.0.1:1 (peer.pki.eca.paddr): the ECA cannot be reached (UNAVAILABLE");
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> PeerNode.start(config("CORE_PEER_FILESYSTEMPATH", file.toString())))
        .isInstanceOf(PeerStartException.class)
        .hasMessageStartingWith("cannot create peer.fileSystemPath " + file);
  }

  @Test
  void secondPeerOnTheSameFileSystemPathIsRefused() throws Exception {
    Files.createDirectories(fs());
    // a live process whose command line names the peer's main class stands for a running peer
    Process other = new ProcessBuilder("sh", "-c", "sleep 60; true", "org.jpeer.peer.Main").start();
    try {
      Files.writeString(fs().resolve("peer.pid"), Long.toString(other.pid()));
      assertThatThrownBy(() -> PeerNode.start(config(), context -> new NodeParts(List.of(), List.of())))
          .isInstanceOf(PeerStartException.class)
          .hasMessage("a peer (pid " + other.pid() + ") is already running with peer.fileSystemPath " + fs());
    } finally {
      other.destroyForcibly();
      other.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void stalePidFileOfAnotherProgramDoesNotBlockTheStart() throws Exception {
    Files.createDirectories(fs());
    Process unrelated = new ProcessBuilder("sh", "-c", "sleep 60; true").start();
    try {
      Files.writeString(fs().resolve("peer.pid"), Long.toString(unrelated.pid()));
      PeerNode node = PeerNode.start(config(), context -> new NodeParts(List.of(), List.of()));
      node.close();
      assertThat(unrelated.isAlive()).isTrue();
    } finally {
      unrelated.destroyForcibly();
      unrelated.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
