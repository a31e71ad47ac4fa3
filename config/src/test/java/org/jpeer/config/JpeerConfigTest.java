package org.jpeer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JpeerConfigTest {
  @TempDir Path workDir;

  private JpeerConfig load(Map<String, String> env, Flag... flags) {
    return JpeerConfig.load(new ConfigInputs(env, workDir, List.of(flags)));
  }

  private JpeerConfig load() {
    return load(Map.of());
  }

  private void write(Path dir, String name, String text) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), text);
  }

  @Test
  void bundledDefaultsLoadWithoutAnyUserFile() {
    JpeerConfig c = load();
    assertThat(c.userDir()).isEmpty();
    PeerSettings peer = c.peer();
    assertThat(peer.id()).isEqualTo("jdoe");
    assertThat(peer.networkId()).isEqualTo("dev");
    assertThat(peer.listenAddress()).isEqualTo(new HostPort("0.0.0.0", 7051));
    assertThat(peer.address()).isEqualTo(new HostPort("0.0.0.0", 7051));
    assertThat(peer.eventsAddress()).isEqualTo(new HostPort("0.0.0.0", 7053));
    assertThat(peer.validatorEnabled()).isTrue();
    assertThat(peer.consensusPlugin()).isEqualTo(ConsensusPlugin.NOOPS);
    assertThat(peer.consensusBufferSize()).isEqualTo(1000);
    assertThat(peer.discoveryPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(peer.fileSystemPath())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".jpeer", "production"));
    // "~" is $HOME when set, as in a shell
    assertThat(load(Map.of("HOME", workDir.toString())).peer().fileSystemPath())
        .isEqualTo(workDir.resolve(".jpeer/production"));
    assertThat(c.rest().enabled()).isTrue();
    assertThat(c.rest().address()).isEqualTo(new HostPort("0.0.0.0", 7050));
    assertThat(c.rest().enrollmentIdPattern().matcher("jim_1").matches()).isTrue();
    assertThat(c.chaincode().mode()).isEqualTo(ChaincodeMode.NET);
    assertThat(c.chaincode().startupTimeout()).isEqualTo(Duration.ofMillis(300_000));
    assertThat(c.chaincode().deployTimeout()).isEqualTo(Duration.ofMillis(30_000));
    assertThat(c.chaincode().executeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.chaincode().keepalive()).isEqualTo(Duration.ZERO);
    assertThat(c.vm().endpoint()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.vm().networkMode()).isEqualTo("host");
    assertThat(c.ledger().dataStructure()).isEqualTo(StateDataStructure.BUCKETTREE);
    assertThat(c.ledger().numBuckets()).isEqualTo(1_000_003);
    assertThat(c.ledger().maxGroupingAtEachLevel()).isEqualTo(5);
    assertThat(c.ledger().bucketCacheSizeMb()).isEqualTo(100);
    assertThat(c.ledger().deltaHistorySize()).isEqualTo(500);
    assertThat(c.logging().forCommand("node").defaultLevel()).isEqualTo(LogLevel.INFO);
    assertThat(c.logging().forCommand("chaincode").defaultLevel()).isEqualTo(LogLevel.WARNING);
    assertThat(c.security().enabled()).isFalse();
    assertThat(c.noopsSettings()).isEqualTo(new NoopsSettings(500, Duration.ofSeconds(1)));
    PbftSettings pbft = c.pbftSettings();
    assertThat(pbft.n()).isEqualTo(4);
    assertThat(pbft.f()).isEqualTo(1);
    assertThat(pbft.k()).isEqualTo(10);
    assertThat(pbft.logMultiplier()).isEqualTo(4);
    assertThat(pbft.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(pbft.nullRequestTimeout()).isEqualTo(Duration.ZERO);
    assertThat(c.core().string("chaincode.golang.Dockerfile"))
        // the original's four lines, on jpeer's local base image (docker/build-goenv.sh)
        .isEqualTo("from jpeer/goenv:latest\n#from hyperledger/fabric-baseimage\nCOPY src $GOPATH/src\nWORKDIR $GOPATH\n");
  }

  @Test
  void userCoreYamlInWorkingDirectoryOverridesKeyByKey() throws IOException {
    write(workDir, "core.yaml", "peer:\n  id: vp0\n  validator:\n    consensus:\n      plugin: pbft\n");
    JpeerConfig c = load();
    assertThat(c.userDir()).contains(workDir);
    assertThat(c.peer().id()).isEqualTo("vp0");
    assertThat(c.peer().consensusPlugin()).isEqualTo(ConsensusPlugin.PBFT);
    // keys the user file does not mention keep the bundled defaults
    assertThat(c.peer().networkId()).isEqualTo("dev");
    assertThat(c.peer().consensusBufferSize()).isEqualTo(1000);
    assertThat(c.core().value("peer.id").source()).isEqualTo("file " + workDir.resolve("core.yaml"));
  }

  @Test
  void peerCfgPathBeatsTheWorkingDirectory() throws IOException {
    Path cfg = workDir.resolve("cfg");
    write(workDir, "core.yaml", "peer:\n  id: fromWorkDir\n");
    write(cfg, "core.yaml", "peer:\n  id: fromCfgPath\n");
    write(cfg, "noops.yaml", "block:\n  size: 7\n");
    write(cfg, "pbft.yaml", "general:\n  n: 7\n  f: 2\n");
    JpeerConfig c = load(Map.of("PEER_CFG_PATH", cfg.toString()));
    assertThat(c.userDir()).contains(cfg);
    assertThat(c.peer().id()).isEqualTo("fromCfgPath");
    assertThat(c.noopsSettings().blockSize()).isEqualTo(7);
    // "n" in the user's file is Fabric's "general.N"
    assertThat(c.pbftSettings().n()).isEqualTo(7);
    assertThat(c.pbft().keys()).contains("general.N").doesNotContain("general.n");
  }

  @Test
  void userKeysInAnotherCaseMapToTheKnownKey() throws IOException {
    write(workDir, "core.yaml", "vm:\n  docker:\n    hostconfig:\n      networkmode: none\n");
    JpeerConfig c = load();
    assertThat(c.vm().networkMode()).isEqualTo("none");
    assertThat(c.core().value("vm.docker.hostConfig.NetworkMode").text()).isEqualTo("none");
  }

  @Test
  void environmentMapsKeyPathsUpperCasedWithUnderscores() {
    JpeerConfig c =
        load(
            Map.of(
                "CORE_PEER_ADDRESS", "127.0.0.1:0",
                "CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "PBFT",
                "CORE_REST_ADDRESS", "127.0.0.1:8050",
                "CORE_PBFT_GENERAL_N", "7",
                "CORE_PBFT_GENERAL_F", "2",
                "CORE_PBFT_GENERAL_TIMEOUT_REQUEST", "10s",
                "CORE_NOOPS_BLOCK_SIZE", "3",
                "CORE_NOOPS_BLOCK_WAIT", "2",
                "CORE_LEDGER_STATE_DATASTRUCTURE_CONFIGS_MAXGROUPINGATEACHLEVEL", "7",
                "CORE_VM_DOCKER_HOSTCONFIG_NETWORKMODE", "none"));
    assertThat(c.peer().address()).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(c.peer().consensusPlugin()).isEqualTo(ConsensusPlugin.PBFT);
    assertThat(c.rest().address()).isEqualTo(new HostPort("127.0.0.1", 8050));
    assertThat(c.pbftSettings().n()).isEqualTo(7);
    assertThat(c.pbftSettings().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.noopsSettings().blockSize()).isEqualTo(3);
    assertThat(c.noopsSettings().blockWait()).isEqualTo(Duration.ofSeconds(2)); // bare number = seconds
    assertThat(c.ledger().maxGroupingAtEachLevel()).isEqualTo(7);
    assertThat(c.vm().networkMode()).isEqualTo("none");
    assertThat(c.core().value("peer.address").source()).isEqualTo("env CORE_PEER_ADDRESS");
    assertThat(c.pbft().value("general.N").source()).isEqualTo("env CORE_PBFT_GENERAL_N");
  }

  @Test
  void environmentWithoutAKnownKeyIsIgnored() {
    JpeerConfig c = load(Map.of("CORE_NO_SUCH_KEY", "x", "CORE_NOOPS_BLOCK_SIZE", "9", "HOME", "/x"));
    // CORE_NOOPS_BLOCK_SIZE belongs to the noops tree, not to core's (non-existent) noops.block.size
    assertThat(c.core().has("noops.block.size")).isFalse();
    assertThat(c.noopsSettings().blockSize()).isEqualTo(9);
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws IOException {
    write(workDir, "core.yaml", "peer:\n  id: file\n  networkId: file\nchaincode:\n  mode: net\n");
    JpeerConfig c =
        load(
            Map.of("CORE_PEER_ID", "env", "CORE_CHAINCODE_MODE", "net"),
            new Flag("chaincode.mode", "dev", "--peer-chaincodedev"),
            new Flag("noops.block.size", "11", "--test-flag"));
    assertThat(c.peer().networkId()).isEqualTo("file");
    assertThat(c.peer().id()).isEqualTo("env");
    assertThat(c.chaincode().mode()).isEqualTo(ChaincodeMode.DEV);
    assertThat(c.core().value("chaincode.mode").source()).isEqualTo("flag --peer-chaincodedev");
    assertThat(c.noopsSettings().blockSize()).isEqualTo(11);
  }

  @Test
  void loggingLevelOverrideComesFromEnvOrFlagAndMayNameModules() {
    JpeerConfig fromEnv = load(Map.of("CORE_LOGGING_LEVEL", "debug"));
    assertThat(fromEnv.logging().forCommand("chaincode").defaultLevel()).isEqualTo(LogLevel.DEBUG);

    JpeerConfig fromFlag =
        load(
            Map.of("CORE_LOGGING_LEVEL", "debug"),
            new Flag("logging.level", "ledger=Debug:consensus/pbft=critical:error", "--logging-level"));
    LogSpec spec = fromFlag.logging().forCommand("node");
    assertThat(spec.defaultLevel()).isEqualTo(LogLevel.ERROR);
    assertThat(spec.modules())
        .containsExactlyInAnyOrderEntriesOf(Map.of("ledger", LogLevel.DEBUG, "consensus/pbft", LogLevel.CRITICAL));

    // only module overrides: the family's own default level stays
    JpeerConfig modulesOnly = load(Map.of("CORE_LOGGING_LEVEL", "ledger=debug"));
    assertThat(modulesOnly.logging().forCommand("node").defaultLevel()).isEqualTo(LogLevel.INFO);
    assertThat(modulesOnly.logging().forCommand("network").defaultLevel()).isEqualTo(LogLevel.WARNING);

    JpeerConfig perFamily = load(Map.of("CORE_LOGGING_NODE", "notice"));
    assertThat(perFamily.logging().forCommand("node").defaultLevel()).isEqualTo(LogLevel.NOTICE);
  }

  // ---- errors: one line naming key, source, value and what is allowed ----

  private static void assertOneLine(Throwable t) {
    assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void unknownEnumValueNamesKeyEnvValueAndChoices() {
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN", "raft")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid value \"raft\" for peer.validator.consensus.plugin"
                + " (from env CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN): allowed values are noops, pbft")
        .satisfies(JpeerConfigTest::assertOneLine);
    assertThatThrownBy(() -> load(Map.of("CORE_LEDGER_STATE_DATASTRUCTURE_NAME", "btree")))
        .hasMessageContaining("ledger.state.dataStructure.name")
        .hasMessageContaining("buckettree, trie, raw");
    assertThatThrownBy(() -> load(Map.of("CORE_CHAINCODE_MODE", "prod")))
        .hasMessageContaining("chaincode.mode")
        .hasMessageContaining("net, dev");
  }

  @Test
  void badPortNamesKeyValueAndRange() {
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_ADDRESS", "host:99999")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid value \"host:99999\" for peer.address (from env CORE_PEER_ADDRESS):")
        .hasMessageContaining("port from 0 to 65535")
        .satisfies(JpeerConfigTest::assertOneLine);
    assertThatThrownBy(() -> load(Map.of("CORE_REST_ADDRESS", "localhost")))
        .hasMessageContaining("rest.address")
        .hasMessageContaining("missing ':port'");
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_LISTENADDRESS", "0.0.0.0:http")))
        .hasMessageContaining("peer.listenAddress")
        .hasMessageContaining("not a number");
  }

  @Test
  void outOfRangeNumberNamesKeyValueAndRange() {
    assertThatThrownBy(() -> load(Map.of("CORE_NOOPS_BLOCK_SIZE", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid value \"-1\" for block.size (from env CORE_NOOPS_BLOCK_SIZE):"
                + " expected a whole number from 1 to 1000000")
        .satisfies(JpeerConfigTest::assertOneLine);
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_VALIDATOR_CONSENSUS_BUFFERSIZE", "lots")))
        .hasMessageContaining("peer.validator.consensus.buffersize")
        .hasMessageContaining("\"lots\"");
    assertThatThrownBy(() -> load(Map.of("CORE_PBFT_GENERAL_N", "3")))
        .hasMessageContaining("general.N")
        .hasMessageContaining("at least 3f+1 = 4");
  }

  @Test
  void badDurationAndBooleanNameKeyAndValue() {
    assertThatThrownBy(() -> load(Map.of("CORE_PBFT_GENERAL_TIMEOUT_BATCH", "1 sec")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "invalid value \"1 sec\" for general.timeout.batch (from env CORE_PBFT_GENERAL_TIMEOUT_BATCH):")
        .hasMessageContaining("Go duration")
        .satisfies(JpeerConfigTest::assertOneLine);
    assertThatThrownBy(() -> load(Map.of("CORE_NOOPS_BLOCK_WAIT", "0")))
        .hasMessageContaining("block.wait")
        .hasMessageContaining("greater than zero");
    assertThatThrownBy(() -> load(Map.of("CORE_REST_ENABLED", "yes please")))
        .hasMessage("invalid value \"yes please\" for rest.enabled (from env CORE_REST_ENABLED): expected true or false");
  }

  @Test
  void badLoggingLevelNamesTheLevelNames() {
    assertThatThrownBy(() -> load(Map.of(), new Flag("logging.level", "verbose", "--logging-level")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid value \"verbose\" for logging.level (from flag --logging-level):")
        .hasMessageContaining("CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG")
        .satisfies(JpeerConfigTest::assertOneLine);
  }

  @Test
  void badValueInUserFileNamesTheFile() throws IOException {
    write(workDir, "core.yaml", "chaincode:\n  startuptimeout: soon\n");
    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "invalid value \"soon\" for chaincode.startuptimeout (from file " + workDir.resolve("core.yaml") + "):")
        .hasMessageContaining("whole number of millis");
  }

  @Test
  void malformedYamlNamesFileAndLine() throws IOException {
    write(workDir, "core.yaml", "peer:\n  id: vp0\n   address: [unclosed\n");
    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage("malformed YAML in " + workDir.resolve("core.yaml") + " at line 3, column 11: mapping values are not allowed here")
        .satisfies(JpeerConfigTest::assertOneLine);
  }

  @Test
  void yamlThatIsNotAMappingIsRefused() throws IOException {
    write(workDir, "pbft.yaml", "- just\n- a list\n");
    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage("malformed configuration in " + workDir.resolve("pbft.yaml") + ": the top level must be a mapping of keys, not a list");
  }

  @Test
  void missingPeerCfgPathDirectoryIsRefused() {
    assertThatThrownBy(() -> load(Map.of("PEER_CFG_PATH", workDir.resolve("nope").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PEER_CFG_PATH")
        .hasMessageContaining("expected an existing directory");
  }

  @Test
  void unknownFlagKeyIsRefused() {
    assertThatThrownBy(() -> load(Map.of(), new Flag("peer.adress", "x", "--adress")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown configuration key peer.adress (from flag --adress)");
  }

  @Test
  void valuesWithNewlinesAreQuotedOnOneLine() {
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_ADDRESS", "a\nb:1:2")))
        .satisfies(JpeerConfigTest::assertOneLine)
        .hasMessageContaining("\"a\\nb:1:2\"");
  }

  @Test
  void discoveryAndStateTransferKeysHaveTheOriginalsDefaults() {
    JpeerConfig c = load();
    PeerSettings peer = c.peer();
    assertThat(peer.discoveryRootNodes()).isEmpty();
    assertThat(peer.discoveryPersist()).isTrue();
    assertThat(peer.discoveryTouchPeriod()).isEqualTo(Duration.ofSeconds(6));
    assertThat(peer.discoveryTouchMaxNodes()).isEqualTo(100);
    assertThat(c.sync()).isEqualTo(SyncSettings.defaults());
    JpeerConfig env = load(Map.of("CORE_PEER_DISCOVERY_ROOTNODE", "10.0.0.1:7051, vp0:7051,",
        "CORE_PEER_SYNC_BLOCKS_CHANNELSIZE", "3", "CORE_STATETRANSFER_TIMEOUT_FULLSTATE", "5s"));
    assertThat(env.peer().discoveryRootNodes())
        .containsExactly(new HostPort("10.0.0.1", 7051), new HostPort("vp0", 7051));
    assertThat(env.sync().blocksChannelSize()).isEqualTo(3);
    assertThat(env.sync().fullStateTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badDiscoveryAndStateTransferValuesAreOneLine() {
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_DISCOVERY_ROOTNODE", "vp0:7051,vp1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid value \"vp0:7051,vp1\" for peer.discovery.rootnode")
        .hasMessageContaining("\"vp1\" is not one")
        .satisfies(JpeerConfigTest::assertOneLine);
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_DISCOVERY_ROOTNODE", "vp0:0")))
        .hasMessageContaining("has port 0");
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_DISCOVERY_PERIOD", "0s")))
        .hasMessageContaining("peer.discovery.period")
        .hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> load(Map.of("CORE_STATETRANSFER_MAXDELTAS", "0")))
        .hasMessage("invalid value \"0\" for statetransfer.maxdeltas (from env CORE_STATETRANSFER_MAXDELTAS):"
            + " expected a whole number from 1 to 2147483647");
    assertThatThrownBy(() -> load(Map.of("CORE_STATETRANSFER_BLOCKSPERREQUEST", "0")))
        .hasMessageContaining("statetransfer.blocksperrequest");
    assertThatThrownBy(() -> load(Map.of("CORE_PEER_SYNC_STATE_DELTAS_CHANNELSIZE", "-2")))
        .hasMessageContaining("peer.sync.state.deltas.channelSize");
    assertThatThrownBy(() -> load(Map.of("CORE_STATETRANSFER_TIMEOUT_SINGLEBLOCK", "soon")))
        .hasMessageContaining("statetransfer.timeout.singleblock")
        .satisfies(JpeerConfigTest::assertOneLine);
  }
}
