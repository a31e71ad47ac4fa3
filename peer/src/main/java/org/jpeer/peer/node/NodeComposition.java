package org.jpeer.peer.node;

import io.grpc.BindableService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.chaincode.ChaincodeTls;
import org.jpeer.chaincode.GoOptions;
import org.jpeer.chaincode.ChaincodeSupport;
import org.jpeer.chaincode.TransactionBinding;
import org.jpeer.config.ChaincodeMode;
import org.jpeer.config.ChaincodeRuntimeKind;
import org.jpeer.config.ChaincodeSettings;
import org.jpeer.config.ConsensusPlugin;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.config.LedgerSettings;
import org.jpeer.config.NoopsSettings;
import org.jpeer.config.PbftSettings;
import org.jpeer.config.VmSettings;
import org.jpeer.consensus.SystemTimer;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.consensus.noops.Noops;
import org.jpeer.consensus.noops.NoopsConfig;
import org.jpeer.consensus.pbft.PbftConfig;
import org.jpeer.consensus.pbft.PbftConsenter;
import org.jpeer.consensus.pbft.ViewChangeSignatures;
import org.jpeer.devops.Devops;
import org.jpeer.devops.DevopsGrpcService;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.events.EventHub;
import org.jpeer.events.EventsServer;
import org.jpeer.events.HubSettings;
import org.jpeer.events.LedgerHistory;
import org.jpeer.executor.LedgerExecutor;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.peer.engine.Engine;
import org.jpeer.peer.engine.ForwardingEngine;
import org.jpeer.peer.engine.LedgerChainView;
import org.jpeer.peer.engine.LedgerConsensusStore;
import org.jpeer.peer.network.MembershipListener;
import org.jpeer.peer.network.NetworkOptions;
import org.jpeer.peer.network.PeerAuthenticator;
import org.jpeer.peer.network.PeerNetwork;
import org.jpeer.peer.statetransfer.LedgerStateTransfer;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.peer.operations.MeteredChaincode;
import org.jpeer.peer.operations.MeteredEngine;
import org.jpeer.peer.operations.MeteredExecutor;
import org.jpeer.peer.operations.PeerHealth;
import org.jpeer.peer.operations.PeerMetrics;
import org.jpeer.rest.Operations;
import org.jpeer.rest.OperationsServer;
import org.jpeer.rest.RestOptions;
import org.jpeer.rest.RestServer;

/**
 * THE composition root of a running peer: the one place where the peer's parts are created and
 * wired together by hand. To add a part, create it here and add it to one of the two lists:
 *
 * <ul>
 *   <li>a gRPC service (Devops, ChaincodeSupport, Openchain, Peer with Chat) to {@code services}: all are
 *       served on {@code peer.listenAddress} by one server;
 *   <li>anything with a life cycle (ledger, engine, consenter, REST server, event hub) to
 *       {@code components}, in dependency order: they start in this order once the gRPC server is
 *       listening and close in reverse order. Use
 *       {@link NodeComponent#closing(AutoCloseable)} for a part that is ready once constructed.
 * </ul>
 *
 * <p>The order matters on shutdown: the REST server stops taking requests first, then the consenter
 * executes and commits everything it accepted (chaincode still running), then the peer network
 * closes its streams, then chaincode stops, then the ledger closes.
 *
 * <p>Every peer runs the peer network ({@code Peer/Chat}, discovery, serving state transfer). A
 * validator runs noops on it; a non-validating peer ({@code peer.validator.enabled=false}) runs no
 * consenter and forwards every transaction to a connected validator. A PBFT validator runs the PBFT
 * consenter on {@link PeerNetwork}, with {@code LedgerStateTransfer}, {@code LedgerConsensusStore}
 * and {@code LedgerChainView} over its ledger.
 *
 * <p>If creating a part fails, close what was already created before rethrowing (the
 * {@code components} list below does that for parts added to it).
 */
final class NodeComposition {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeComposition.class);

  private NodeComposition() {}

  static NodeParts compose(NodeContext context) throws Exception {
    JpeerConfig config = context.config();
    List<BindableService> services = new ArrayList<>();
    List<NodeComponent> components = new ArrayList<>();
    try {
      services.add(new AdminService(context::requestStop));
      boolean validator = config.peer().validatorEnabled();
      boolean pbft = validator && config.peer().consensusPlugin() == ConsensusPlugin.PBFT;
      int replica = pbft ? pbftReplicaId(config) : -1;

      // first: it closes last, after every part that updates a meter
      PeerMetrics metrics = new PeerMetrics();
      components.add(NodeComponent.closing(metrics));
      PeerLedger ledger = openLedger(config);
      components.add(NodeComponent.closing(ledger));
      ledger.addListener(metrics.ledgerListener());
      metrics.gaugeLedgerHeight(ledger::height);
      // before the consenter: it closes after the consenter has committed what it accepted
      EventHub events = validator ? eventHub(context, ledger, components) : null;

      LateChaincode chaincode = new LateChaincode();
      services.add(chaincode.grpcService());
      Optional<Path> chaincodeSocket = ChaincodeSocket.choose(config, context.tls().isPresent());
      components.add(chaincodeComponent(context, ledger, chaincode, chaincodeSocket));
      // after chaincode support: it closes first, once the consenter has executed what it accepted
      chaincodeSocket.ifPresent(socket -> components.add(new ChaincodeSocket(socket, chaincode.grpcService())));

      // before the network: with security on its hellos are signed with the enrolment key
      Optional<PeerSecurity> security = Optional.empty();
      if (config.security().enabled()) {
        PeerSecurity started = PeerSecurity.start(config);
        components.add(NodeComponent.closing(started));
        security = Optional.of(started);
      }
      PeerNetwork network = new PeerNetwork(NetworkOptions.from(config, PeerNode.MAX_MESSAGE_BYTES), ledger,
          context.dialer(), security.<PeerAuthenticator>map(PeerSecurity::peers).orElse(PeerAuthenticator.NONE));
      components.add(networkComponent(context, network, security));
      metrics.gaugePeersConnected(() -> network.connectedPeers().size());

      MeteredChaincode meteredChaincode = new MeteredChaincode(chaincode, metrics);
      ConsenterState consenterState = new ConsenterState();
      TransactionEngine inner = pbft
          ? pbftEngine(config, replica, ledger, meteredChaincode, network, components, metrics, consenterState, security)
          : validator
              ? noopsEngine(config, ledger, meteredChaincode, network, components, metrics, consenterState)
              : forwardingEngine(config, network, components, context.dialer());
      metrics.gaugePending(inner instanceof Engine e ? e::pending : () -> 0);
      TransactionEngine engine = new MeteredEngine(inner, metrics);
      Operations operations = new Operations(metrics.registry(), metrics::scrape, new PeerHealth(new PeerHealth.Parts(
          ledger::height,
          validator ? consenterState::running : null,
          consenterState::settled,
          chaincode::runtimeProblem,
          () -> network.connectedValidators().size(),
          pbft ? 2 * config.pbftSettings().f() : validator ? 0 : 1)));
      Devops devops = new Devops(chaincode, engine, Clock.systemUTC(), config.peer().maxMessageBytes(),
          security.map(PeerSecurity::users));
      services.add(new DevopsGrpcService(devops));
      services.add(new OpenchainService(ledger, network::connectedPeers));
      services.add(new PeerService(engine, network, security.map(PeerSecurity::verifier)));

      if (config.rest().enabled()) {
        HostPort restAddress = config.rest().address();
        RestServer rest = new RestServer(
            RestOptions.of(restAddress.host(), restAddress.port(), config.chaincode().mode() == ChaincodeMode.DEV,
                    config.peer().fileSystemPath())
                .withEnrollmentIdPattern(config.rest().enrollmentIdPattern())
                .withMaxRequestBytes(config.peer().maxMessageBytes())
                .withTls(restTls(context)),
            devops, ledger, network::peersWithSelf, events, operations);
        components.add(new NodeComponent() {
          @Override
          public Map<String, HostPort> start() throws Exception {
            rest.start();
            return Map.of("rest", restAddress.withPort(rest.port()));
          }

          @Override
          public void close() {
            rest.close();
          }

          @Override
          public String toString() {
            return "REST server";
          }
        });
      }
      config.operations().listenAddress().ifPresent(address -> components.add(operationsComponent(address, operations)));
      return new NodeParts(services, components);
    } catch (Exception | Error e) {
      for (int i = components.size() - 1; i >= 0; i--) {
        try {
          components.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * The event hub over the ledger, served on {@code peer.validator.events.address} (validators only, as
   * in the original). On close it ends every consumer's stream, then stops its server.
   */
  private static EventHub eventHub(NodeContext context, PeerLedger ledger, List<NodeComponent> components) {
    JpeerConfig config = context.config();
    EventHub hub = LedgerHistory.hubFor(ledger,
        HubSettings.of(config.peer().eventsBufferSize(), config.peer().eventsTimeoutMillis()));
    HostPort address = config.peer().eventsAddress();
    components.add(new NodeComponent() {
      private EventsServer server;

      @Override
      public Map<String, HostPort> start() throws Exception {
        server = context.tls().isPresent()
            ? EventsServer.start(address.host(), address.port(), hub, context.tls().get().serverCredentials())
            : EventsServer.start(address.host(), address.port(), hub);
        return Map.of(RunFiles.EVENTS, address.withPort(server.port()));
      }

      @Override
      public void close() {
        hub.close();
        if (server != null) {
          server.close();
        }
      }

      @Override
      public String toString() {
        return "event hub";
      }
    });
    return hub;
  }

  /** Whether the consenter runs, and whether it is settled (not replacing state by state transfer). */
  static final class ConsenterState {
    private volatile boolean running;
    private volatile java.util.function.BooleanSupplier settled = () -> true;

    boolean running() {
      return running;
    }

    boolean settled() {
      return settled.getAsBoolean();
    }
  }

  /** {@code /metrics}, {@code /healthz}, {@code /readyz} on {@code operations.listenAddress}. */
  private static NodeComponent operationsComponent(HostPort address, Operations operations) {
    OperationsServer server = new OperationsServer(address.host(), address.port(), operations);
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() throws Exception {
        server.start();
        return Map.of("operations", address.withPort(server.port()));
      }

      @Override
      public void close() {
        server.close();
      }

      @Override
      public String toString() {
        return "operations server";
      }
    };
  }

  /**
   * A validator's engine: the noops consenter, which sends every transaction it accepts to the other
   * validators as a CONSENSUS TransactionBlock and orders the ones they send it (consensus.md §4).
   */
  private static Engine noopsEngine(JpeerConfig config, PeerLedger ledger, MeteredChaincode chaincode,
      PeerNetwork network, List<NodeComponent> components, PeerMetrics metrics, ConsenterState state) {
    int capacity = config.peer().consensusBufferSize();
    NoopsSettings noopsSettings = config.noopsSettings();
    Noops noops = new Noops(new NoopsConfig(noopsSettings.blockSize(), noopsSettings.blockWait()), capacity,
        new MeteredExecutor(new LedgerExecutor(ledger, chaincode), metrics), network, new SystemTimer("noops-timer"), new LedgerConsensusStore(ledger),
        txid -> ledger.transactionLocation(txid).isPresent() || ledger.failure(txid).isPresent(),
        config.peer().consensusAdmissionWait());
    network.consensusSink(noops::recvMsg);
    components.add(new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        noops.start();
        state.settled = noops::queriesAllowed;
        state.running = true;
        return Map.of();
      }

      @Override
      public void close() {
        state.running = false;
        noops.close();
      }

      @Override
      public String toString() {
        return "noops consenter";
      }
    });
    return new Engine(ledger, chaincode, noops, capacity);
  }

  /**
   * PBFT needs {@code peer.id} = {@code vp<n>} with n below {@code general.N}. The original silently
   * makes any other id replica 0 (its quirk 5), which then claims another replica's messages.
   */
  private static int pbftReplicaId(JpeerConfig config) {
    String id = config.peer().id();
    int n = config.pbftSettings().n();
    return PbftConsenter.replicaId(id, n).orElseThrow(() -> new IllegalArgumentException(
        "peer.id=" + id + ": a PBFT validator's id must be vp0..vp" + (n - 1) + " (general.N=" + n
            + "); set CORE_PEER_ID"));
  }

  /**
   * A validator's engine under PBFT: the consenter on the peer network, its records in the ledger's
   * persistCF, state transfer over the peer streams, batches executed by the ledger executor that
   * never executes a txid twice.
   */
  private static Engine pbftEngine(JpeerConfig config, int replica, PeerLedger ledger, MeteredChaincode chaincode,
      PeerNetwork network, List<NodeComponent> components, PeerMetrics metrics, ConsenterState state,
      Optional<PeerSecurity> security) {
    int capacity = config.peer().consensusBufferSize();
    PbftSettings s = config.pbftSettings();
    PbftConfig pbftConfig = new PbftConfig(s.n(), s.f(), s.k(), s.logMultiplier(), s.batchSize(), s.byzantine(),
        s.viewChangePeriod(), s.batchTimeout(), s.requestTimeout(), s.viewChangeTimeout(), s.resendViewChangeTimeout(),
        s.nullRequestTimeout(), capacity);
    LedgerStateTransfer stateTransfer = new LedgerStateTransfer(ledger, network, config.sync());
    components.add(NodeComponent.closing(stateTransfer));
    PbftConsenter consenter = new PbftConsenter(pbftConfig, replica, new MeteredExecutor(LedgerExecutor.skippingCommitted(ledger, chaincode), metrics),
        network, stateTransfer, new LedgerChainView(ledger), new LedgerConsensusStore(ledger),
        new SystemTimer("pbft-timer"), Clock.systemUTC(), config.peer().consensusAdmissionWait(),
        security.<ViewChangeSignatures>map(sec -> new ReplicaSignatures(sec.self(), replica, sec.peers(),
            id -> network.connectedPeers().stream().filter(p -> p.getID().getName().equals(id)).findFirst()))
            .orElse(ViewChangeSignatures.UNSIGNED));
    network.consensusSink(consenter::recvMsg);
    network.addMembershipListener(new MembershipListener() {
      @Override
      public void peerConnected(PeerEndpoint peer) {
        consenter.peerConnected(peer.getID().getName());
      }

      @Override
      public void peerDisconnected(PeerEndpoint peer) {}
    });
    components.add(new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        consenter.start();
        state.settled = consenter::queriesAllowed;
        state.running = true;
        return Map.of();
      }

      @Override
      public void close() {
        state.running = false;
        consenter.close();
      }

      @Override
      public String toString() {
        return "PBFT consenter";
      }
    });
    return new Engine(ledger, chaincode, consenter, capacity);
  }

  /**
   * A non-validating peer's engine: no consenter and no ledger writes; every transaction goes to a
   * connected validator. A query may have to launch the chaincode there, hence its longer deadline.
   */
  private static ForwardingEngine forwardingEngine(JpeerConfig config, PeerNetwork network,
      List<NodeComponent> components, org.jpeer.peer.tls.Dialer dialer) {
    ChaincodeSettings cc = config.chaincode();
    ForwardingEngine engine = new ForwardingEngine(network::connectedPeers, cc.executeTimeout(),
        cc.startupTimeout().plus(cc.executeTimeout()), PeerNode.MAX_MESSAGE_BYTES, dialer);
    components.add(NodeComponent.closing(engine));
    return engine;
  }

  /** Starts the peer network once the gRPC address other peers dial is known. */
  private static NodeComponent networkComponent(NodeContext context, PeerNetwork network,
      Optional<PeerSecurity> security) {
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        network.start(self(context, security));
        return Map.of();
      }

      @Override
      public void close() {
        network.close();
      }

      @Override
      public String toString() {
        return "peer network";
      }
    };
  }

  /**
   * This peer's endpoint: {@code peer.id}, the address others dial, VALIDATOR or NON_VALIDATOR, and
   * with security on the {@code pkiID} (the hash of its enrolment certificate).
   */
  private static PeerEndpoint self(NodeContext context, Optional<PeerSecurity> security) {
    PeerEndpoint.Builder self = PeerEndpoint.newBuilder()
        .setID(PeerID.newBuilder().setName(context.config().peer().id()))
        .setAddress(context.grpcAdvertisedAddress().toString())
        .setType(context.config().peer().validatorEnabled() ? PeerEndpoint.Type.VALIDATOR
            : PeerEndpoint.Type.NON_VALIDATOR);
    security.ifPresent(s -> self.setPkiID(com.google.protobuf.ByteString.copyFrom(s.self().pkiId())));
    return self.build();
  }

  /**
   * Opens the ledger (checking its consistency). A large one takes a while: the operator sees a line
   * before and one after with the time taken.
   */
  private static PeerLedger openLedger(JpeerConfig config) {
    java.nio.file.Path dir = config.peer().fileSystemPath().resolve("db");
    log.info("Opening the ledger in {}", dir);
    long started = System.nanoTime();
    PeerLedger ledger = Ledgers.open(dir, ledgerOptions(config.ledger()));
    log.info("Ledger open: height {}, {} ms", ledger.height(), (System.nanoTime() - started) / 1_000_000);
    return ledger;
  }

  static LedgerOptions ledgerOptions(LedgerSettings s) {
    return LedgerOptions.defaults()
        .withDataStructure(LedgerOptions.StateStructure.parse(s.dataStructure().name().toLowerCase(Locale.ROOT)))
        .withBuckets(s.numBuckets(), s.maxGroupingAtEachLevel())
        .withBucketCacheSizeMb(s.bucketCacheSizeMb())
        .withDeltaHistorySize(s.deltaHistorySize());
  }

  /** Chaincode support's options from {@code chaincode.*} and {@code vm.*}; chaincode dials {@code peerAddress}. */
  static ChaincodeOptions chaincodeOptions(JpeerConfig config, String peerAddress) {
    ChaincodeSettings cc = config.chaincode();
    ChaincodeOptions options = ChaincodeOptions
        .defaults(config.peer().fileSystemPath(), peerAddress)
        .withMode(cc.mode() == ChaincodeMode.DEV ? ChaincodeOptions.Mode.DEV : ChaincodeOptions.Mode.NET)
        .withTimeouts(cc.startupTimeout(), cc.deployTimeout(), cc.executeTimeout())
        .withKeepalive(cc.keepalive())
        .withMaxMessageBytes(config.peer().maxMessageBytes())
        .withGolang(golangOptions(config))
        .withJava(org.jpeer.chaincode.JavaOptions.of(cc.javaShimJar(), cc.javaJvmOptions()));
    if (cc.runtime() == ChaincodeRuntimeKind.DOCKER) {
      VmSettings vm = config.vm();
      options = options.withRuntime(ChaincodeOptions.RuntimeKind.DOCKER, vm.endpoint())
          .withBaseImage(cc.javaBaseImage())
          .withDocker(vm.networkMode(), vm.memoryBytes(),
              ChaincodeOptions.vmNamePrefix(config.peer().networkId(), config.peer().id()));
    }
    return options;
  }

  /** Go chaincode: GOPATH from chaincode.golang.gopath, else the peer's environment, as the original. */
  static GoOptions golangOptions(ChaincodeSettings cc) {
    GoOptions go = GoOptions.defaults();
    if (!cc.golangGopath().isEmpty()) {
      go = go.withGopath(cc.golangGopath());
    }
    return go.withDockerfileTemplate(cc.golangDockerfile()).withGoCommand(cc.golangGo())
        .withInstallPath(cc.installPath());
  }

  /** As {@link #golangOptions(ChaincodeSettings)}; with TLS the certificate goes into Go packages, as the original's. */
  static GoOptions golangOptions(JpeerConfig config) {
    return golangOptions(config.chaincode()).withTlsCertFile(config.tls().map(t -> t.certFile()));
  }

  /** REST serves HTTPS with the peer's TLS identity when {@code peer.tls.enabled}, as the original. */
  private static Optional<javax.net.ssl.SSLContext> restTls(NodeContext context) throws org.jpeer.peer.tls.PeerTls.TlsException {
    return context.tls().isPresent() ? Optional.of(context.tls().get().sslContext()) : Optional.empty();
  }

  /** With security on: the configured hash of cert ‖ nonce, the original's GetTransactionBinding. */
  private static TransactionBinding binding(JpeerConfig config) {
    if (!config.security().enabled()) {
      return TransactionBinding.NONE;
    }
    SecurityLevel level = SecurityLevel.of(config.security().level(), config.security().hashAlgorithm());
    return tx -> level.hash(tx.getCert().concat(tx.getNonce()).toByteArray());
  }

  /** Starts chaincode support once the gRPC address that launched chaincode must dial is known. */
  private static NodeComponent chaincodeComponent(NodeContext context, PeerLedger ledger, LateChaincode late,
      Optional<Path> unixSocket) {
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        ChaincodeOptions options = chaincodeOptions(context.config(), context.grpcAdvertisedAddress().toString());
        options = options.withJava(options.java().withUnixSocket(unixSocket))
            .withTls(context.config().tls().map(t -> new ChaincodeTls(t.trustedRoots(), t.serverHostOverride())));
        late.set(new ChaincodeSupport(options, ledger::transaction, ledger::committedState, binding(context.config())));
        return Map.of();
      }

      @Override
      public void close() {
        late.close();
      }

      @Override
      public String toString() {
        return "chaincode support";
      }
    };
  }
}
