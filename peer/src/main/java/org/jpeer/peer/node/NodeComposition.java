package org.jpeer.peer.node;

import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpeer.chaincode.ChaincodeOptions;
import org.jpeer.chaincode.ChaincodeSupport;
import org.jpeer.config.ChaincodeMode;
import org.jpeer.config.ChaincodeRuntimeKind;
import org.jpeer.config.ChaincodeSettings;
import org.jpeer.config.ConsensusPlugin;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.config.LedgerSettings;
import org.jpeer.config.NoopsSettings;
import org.jpeer.config.VmSettings;
import org.jpeer.consensus.Network;
import org.jpeer.consensus.SystemTimer;
import org.jpeer.consensus.noops.Noops;
import org.jpeer.consensus.noops.NoopsConfig;
import org.jpeer.devops.Devops;
import org.jpeer.devops.DevopsGrpcService;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.peer.engine.Engine;
import org.jpeer.executor.LedgerExecutor;
import org.jpeer.protos.PeerEndpoint;
import org.jpeer.protos.PeerID;
import org.jpeer.rest.RestOptions;
import org.jpeer.rest.RestServer;

/**
 * THE composition root of a running peer: the one place where the peer's parts are created and
 * wired together by hand. To add a part, create it here and add it to one of the two lists:
 *
 * <ul>
 *   <li>a gRPC service (Devops, ChaincodeSupport, Openchain, Peer) to {@code services}: all are
 *       served on {@code peer.listenAddress} by one server;
 *   <li>anything with a life cycle (ledger, engine, consenter, REST server, event hub) to
 *       {@code components}, in dependency order: they start in this order once the gRPC server is
 *       listening and close in reverse order. Use
 *       {@link NodeComponent#closing(AutoCloseable)} for a part that is ready once constructed.
 * </ul>
 *
 * <p>The order matters on shutdown: the REST server stops taking requests first, then the consenter
 * executes and commits everything it accepted (chaincode still running), then chaincode stops, then
 * the ledger closes.
 *
 * <p>If creating a part fails, close what was already created before rethrowing (the
 * {@code components} list below does that for parts added to it).
 */
final class NodeComposition {
  private NodeComposition() {}

  static NodeParts compose(NodeContext context) throws Exception {
    JpeerConfig config = context.config();
    List<BindableService> services = new ArrayList<>();
    List<NodeComponent> components = new ArrayList<>();
    try {
      services.add(new AdminService(context::requestStop));
      if (!config.peer().validatorEnabled()) {
        throw new IllegalArgumentException("peer.validator.enabled=false: jpeer runs validating peers only;"
            + " set it to true");
      }
      if (config.peer().consensusPlugin() == ConsensusPlugin.PBFT) {
        throw new IllegalArgumentException("peer.validator.consensus.plugin=pbft: the PBFT consenter is not"
            + " part of this build; use noops (or start with --peer-chaincodedev)");
      }

      PeerLedger ledger = Ledgers.open(config.peer().fileSystemPath().resolve("db"), ledgerOptions(config.ledger()));
      components.add(NodeComponent.closing(ledger));

      LateChaincode chaincode = new LateChaincode();
      services.add(chaincode.grpcService());
      components.add(chaincodeComponent(context, ledger, chaincode));

      int capacity = config.peer().consensusBufferSize();
      NoopsSettings noopsSettings = config.noopsSettings();
      Noops noops = new Noops(new NoopsConfig(noopsSettings.blockSize(), noopsSettings.blockWait()), capacity,
          new LedgerExecutor(ledger, chaincode), Network.ALONE, new SystemTimer("noops-timer"));
      components.add(new NodeComponent() {
        @Override
        public Map<String, HostPort> start() {
          noops.start();
          return Map.of();
        }

        @Override
        public void close() {
          noops.close();
        }

        @Override
        public String toString() {
          return "noops consenter";
        }
      });

      Engine engine = new Engine(ledger, chaincode, noops, capacity);
      Devops devops = new Devops(chaincode, engine);
      services.add(new DevopsGrpcService(devops));
      services.add(new OpenchainService(ledger));
      services.add(new PeerService(engine));

      if (config.rest().enabled()) {
        HostPort restAddress = config.rest().address();
        RestServer rest = new RestServer(
            RestOptions.of(restAddress.host(), restAddress.port(), config.chaincode().mode() == ChaincodeMode.DEV,
                    config.peer().fileSystemPath())
                .withEnrollmentIdPattern(config.rest().enrollmentIdPattern()),
            devops, ledger, () -> List.of(self(context)));
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

  /** This peer as {@code /network/peers} lists it. */
  private static PeerEndpoint self(NodeContext context) {
    return PeerEndpoint.newBuilder()
        .setID(PeerID.newBuilder().setName(context.config().peer().id()))
        .setAddress(context.grpcAdvertisedAddress().toString())
        .setType(PeerEndpoint.Type.VALIDATOR)
        .build();
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
        .withKeepalive(cc.keepalive());
    if (cc.runtime() == ChaincodeRuntimeKind.DOCKER) {
      VmSettings vm = config.vm();
      options = options.withRuntime(ChaincodeOptions.RuntimeKind.DOCKER, vm.endpoint())
          .withBaseImage(cc.javaBaseImage())
          .withDocker(vm.networkMode(), vm.memoryBytes(),
              ChaincodeOptions.vmNamePrefix(config.peer().networkId(), config.peer().id()));
    }
    return options;
  }

  /** Starts chaincode support once the gRPC address that launched chaincode must dial is known. */
  private static NodeComponent chaincodeComponent(NodeContext context, PeerLedger ledger, LateChaincode late) {
    return new NodeComponent() {
      @Override
      public Map<String, HostPort> start() {
        ChaincodeOptions options = chaincodeOptions(context.config(), context.grpcAdvertisedAddress().toString());
        late.set(new ChaincodeSupport(options, ledger::transaction, ledger::committedState));
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
