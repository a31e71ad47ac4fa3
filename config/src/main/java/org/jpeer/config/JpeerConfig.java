package org.jpeer.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peer's whole configuration: three trees ({@code core}, {@code noops}, {@code pbft}), each
 * merged from the bundled file, a user's file, {@code CORE_*} environment variables and flags, and
 * the typed views built from them. Everything is checked when loading, so a peer with a bad value
 * refuses to start with one clear line instead of failing later.
 *
 * <p>User files live in the directory named by {@code PEER_CFG_PATH}, else in the working
 * directory: {@code core.yaml}, {@code noops.yaml}, {@code pbft.yaml}. A missing file means the
 * bundled defaults (the original stops when core.yaml is missing).
 *
 * <p>To read a key that has no typed view yet, add it to the bundled YAML and read it with one
 * line: {@code config.core().intIn("peer.sync.blocks.channelSize", 1, 1000)}.
 */
public final class JpeerConfig {
  /** Environment variable naming the directory of the user's configuration files. */
  public static final String CFG_PATH_ENV = "PEER_CFG_PATH";

  private final Optional<Path> userDir;
  private final Settings core;
  private final Settings noops;
  private final Settings pbft;
  private final PeerSettings peer;
  private final RestSettings rest;
  private final ChaincodeSettings chaincode;
  private final VmSettings vm;
  private final LedgerSettings ledger;
  private final SyncSettings sync;
  private final LoggingSettings logging;
  private final SecuritySettings security;
  private final Optional<TlsSettings> tls;
  private final OperationsSettings operations;
  private final NoopsSettings noopsSettings;
  private final PbftSettings pbftSettings;

  private JpeerConfig(Optional<Path> userDir, Settings core, Settings noops, Settings pbft) {
    this.userDir = userDir;
    this.core = core;
    this.noops = noops;
    this.pbft = pbft;
    this.peer = PeerSettings.from(core);
    this.rest = RestSettings.from(core);
    this.chaincode = ChaincodeSettings.from(core);
    this.vm = VmSettings.from(core);
    this.ledger = LedgerSettings.from(core);
    this.sync = SyncSettings.from(core);
    this.logging = LoggingSettings.from(core);
    this.security = SecuritySettings.from(core);
    this.tls = TlsSettings.from(core);
    this.operations = OperationsSettings.from(core);
    this.noopsSettings = NoopsSettings.from(noops);
    this.pbftSettings = PbftSettings.from(pbft);
  }

  /**
   * Loads and checks the configuration.
   *
   * @throws ConfigException with a one-line message on the first bad file or value
   */
  public static JpeerConfig load(ConfigInputs inputs) {
    Path dir = userDirectory(inputs);
    String homeEnv = inputs.env().get("HOME");
    Path home =
        Path.of(homeEnv == null || homeEnv.isBlank() ? System.getProperty("user.home") : homeEnv)
            .toAbsolutePath()
            .normalize();
    List<Flag> coreFlags = new ArrayList<>();
    List<Flag> noopsFlags = new ArrayList<>();
    List<Flag> pbftFlags = new ArrayList<>();
    for (Flag f : inputs.flags()) {
      if (f.key().startsWith("noops.")) {
        noopsFlags.add(new Flag(f.key().substring(6), f.value(), f.flagName()));
      } else if (f.key().startsWith("pbft.")) {
        pbftFlags.add(new Flag(f.key().substring(5), f.value(), f.flagName()));
      } else {
        coreFlags.add(f);
      }
    }
    Settings core =
        new SettingsLoader("core", "CORE_")
            .bundled("core.yaml")
            .userFile(dir.resolve("core.yaml"))
            .environment(inputs.env())
            .flags(coreFlags)
            .build(home);
    Settings noops =
        new SettingsLoader("noops", "CORE_NOOPS_")
            .bundled("noops.yaml")
            .userFile(dir.resolve("noops.yaml"))
            .environment(inputs.env())
            .flags(noopsFlags)
            .build(home);
    Settings pbft =
        new SettingsLoader("pbft", "CORE_PBFT_")
            .bundled("pbft.yaml")
            .userFile(dir.resolve("pbft.yaml"))
            .environment(inputs.env())
            .flags(pbftFlags)
            .build(home);
    Optional<Path> found = Files.isRegularFile(dir.resolve("core.yaml")) ? Optional.of(dir) : Optional.empty();
    return new JpeerConfig(found, core, noops, pbft);
  }

  private static Path userDirectory(ConfigInputs inputs) {
    String cfgPath = inputs.env().get(CFG_PATH_ENV);
    if (cfgPath == null || cfgPath.isBlank()) {
      return inputs.workingDir();
    }
    Path dir = inputs.workingDir().resolve(cfgPath.trim());
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(
          "invalid value "
              + ConfigException.quote(cfgPath)
              + " for "
              + CFG_PATH_ENV
              + " (from env "
              + CFG_PATH_ENV
              + "): expected an existing directory holding core.yaml");
    }
    return dir;
  }

  /** The directory whose core.yaml was read, or empty when only the bundled defaults apply. */
  public Optional<Path> userDir() {
    return userDir;
  }

  /** The core.yaml tree. */
  public Settings core() {
    return core;
  }

  /** The noops tree (env prefix {@code CORE_NOOPS_}). */
  public Settings noops() {
    return noops;
  }

  /** The PBFT tree (env prefix {@code CORE_PBFT_}). */
  public Settings pbft() {
    return pbft;
  }

  public PeerSettings peer() {
    return peer;
  }

  public RestSettings rest() {
    return rest;
  }

  public ChaincodeSettings chaincode() {
    return chaincode;
  }

  public VmSettings vm() {
    return vm;
  }

  public LedgerSettings ledger() {
    return ledger;
  }

  /** {@code peer.sync.*} and {@code statetransfer.*}. */
  public SyncSettings sync() {
    return sync;
  }

  public OperationsSettings operations() {
    return operations;
  }

  public LoggingSettings logging() {
    return logging;
  }

  /** {@code peer.tls.*}: present when {@code peer.tls.enabled} is true. */
  public Optional<TlsSettings> tls() {
    return tls;
  }

  public SecuritySettings security() {
    return security;
  }

  public NoopsSettings noopsSettings() {
    return noopsSettings;
  }

  public PbftSettings pbftSettings() {
    return pbftSettings;
  }
}
