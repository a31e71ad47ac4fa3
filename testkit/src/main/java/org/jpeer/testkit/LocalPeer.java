package org.jpeer.testkit;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.HostPort;

/**
 * One peer under test, {@code peer node start} as a child process, across its lives: started, then
 * perhaps stopped, killed, frozen and thawed, restarted on its own data. Ready means its addresses
 * file names its bound addresses and its pid file names this very process (never a log line).
 */
public final class LocalPeer implements AutoCloseable {
  /** The gRPC server's name in {@code peer.addresses}. */
  public static final String GRPC = "grpc";
  public static final String REST = "rest";
  public static final String EVENTS = "events";

  private final String name;
  private final PeerLauncher launcher;
  private final List<String> flags;
  private final Path logDir;
  private final List<ChildProcess> lives = new ArrayList<>();
  private final List<ChildProcess> chaincodes = new ArrayList<>();
  private PeerEnv env;
  private Map<String, HostPort> addresses = Map.of();
  private ManagedChannel channel;

  private LocalPeer(String name, PeerLauncher launcher, PeerEnv env, List<String> flags, Path logDir) {
    this.name = name;
    this.launcher = launcher;
    this.env = env;
    this.flags = List.copyOf(flags);
    this.logDir = logDir;
  }

  /** Starts {@code peer node start <flags>} and returns once it is ready. */
  public static LocalPeer start(String name, PeerLauncher launcher, PeerEnv env, Path logDir, String... flags) {
    LocalPeer peer = launch(name, launcher, env, logDir, flags);
    try {
      peer.awaitReady();
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** Starts the process without waiting, so that several peers come up at once; then {@link #awaitReady}. */
  static LocalPeer launch(String name, PeerLauncher launcher, PeerEnv env, Path logDir, String... flags) {
    LocalPeer peer = new LocalPeer(name, launcher, env, List.of(flags), logDir);
    peer.spawn();
    return peer;
  }

  private void spawn() {
    try {
      // a killed peer leaves its addresses behind: they must not pass for the new process's
      Files.deleteIfExists(env.fileSystemPath().resolve("peer.addresses"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("node", "start"));
    args.addAll(flags);
    Map<String, String> vars = new HashMap<>(launcher.env());
    vars.putAll(env.vars());
    lives.add(ChildProcess.start(name, launcher.command(args), env.home(), vars, logDir));
  }

  void awaitReady() {
    addresses = Await.result(name + " is ready (its addresses file names it)", Await.PATIENCE,
        this::readyAddresses, process().watch());
  }

  private Map<String, HostPort> readyAddresses() throws IOException {
    Path dir = env.fileSystemPath();
    String pid;
    List<String> lines;
    try {
      pid = Files.readString(dir.resolve("peer.pid"), StandardCharsets.UTF_8).trim();
      lines = Files.readAllLines(dir.resolve("peer.addresses"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    // bin/peer execs the JVM, so the pid is the child's own in both launchers
    if (!pid.equals(Long.toString(process().pid()))) {
      return null;
    }
    Map<String, HostPort> found = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        found.put(line.substring(0, eq), HostPort.parse(line.substring(eq + 1)));
      }
    }
    boolean restWanted = !"false".equalsIgnoreCase(env.get("CORE_REST_ENABLED"));
    return found.containsKey(GRPC) && (!restWanted || found.containsKey(REST)) ? Map.copyOf(found) : null;
  }

  public String name() {
    return name;
  }

  /** The environment of the current life (after a restart: with the ports of the first). */
  public PeerEnv env() {
    return env;
  }

  /** The current (last) process. */
  public ChildProcess process() {
    return lives.get(lives.size() - 1);
  }

  public long pid() {
    return process().pid();
  }

  public Map<String, HostPort> addresses() {
    return addresses;
  }

  public HostPort grpc() {
    return address(GRPC);
  }

  /** The event hub's address (validators only). */
  public HostPort events() {
    return address(EVENTS);
  }

  public URI restUri() {
    return URI.create("http://" + address(REST));
  }

  public RestClient rest() {
    return new RestClient(restUri());
  }

  private HostPort address(String which) {
    HostPort a = addresses.get(which);
    if (a == null) {
      throw new AssertionError(name + " recorded no " + which + " address: " + addresses);
    }
    return a.dialable();
  }

  /** A gRPC channel to the peer (Devops, Openchain, Admin, Peer services), closed with the peer. */
  public synchronized ManagedChannel channel() {
    if (channel == null) {
      channel = NettyChannelBuilder.forAddress(grpc().host(), grpc().port()).usePlaintext()
          .maxInboundMessageSize(100 * 1024 * 1024).build();
    }
    return channel;
  }

  /** Waits for a condition that needs this peer running; fails at once with its output when it exits. */
  public void await(String what, Await.Condition condition) {
    process().await(what, condition);
  }

  /** Runs {@code peer <args>} (the CLI) against this peer and returns what it left. */
  public ChildProcess.Result cli(String... args) {
    Map<String, String> vars = new HashMap<>(launcher.env());
    vars.putAll(env.vars());
    vars.put("CORE_PEER_ADDRESS", grpc().toString());
    return ChildProcess.run("peer " + String.join(" ", args), launcher.command(List.of(args)), env.home(), vars,
        logDir, Duration.ofMinutes(2));
  }

  /** Chaincode the peer started (the process runtime's children), alive now. */
  public List<ProcessHandle> chaincodeProcesses() {
    return process().descendants();
  }

  /**
   * Starts a chaincode jar the way a user does in dev mode ({@code CORE_CHAINCODE_ID_NAME},
   * {@code CORE_PEER_ADDRESS} of this peer); stopped with the peer at the latest.
   */
  public ChildProcess startChaincodeJar(Path jar, String chaincodeName) {
    ChildProcess cc = ChildProcess.javaJar("chaincode-" + chaincodeName, jar,
        Map.of("CORE_CHAINCODE_ID_NAME", chaincodeName, "CORE_PEER_ADDRESS", grpc().toString()),
        env.home(), logDir);
    chaincodes.add(cc);
    return cc;
  }

  /** SIGTERM (what the peer's shutdown hook handles) and waits for the exit; returns the exit code. */
  public int stop() {
    closeChannel();
    return process().terminate();
  }

  /** SIGKILL to the peer and its chaincode: a crash. The data stays for {@link #restart}. */
  public void kill() {
    closeChannel();
    process().kill();
  }

  /** SIGSTOP: the peer is frozen, as if cut off the network (its chaincode keeps running). */
  public void pause() {
    process().pause();
  }

  public void resume() {
    process().resume();
  }

  /**
   * Starts the peer again on its data, on the ports of its first life (other peers may know them),
   * once the previous process has ended ({@link #stop} or {@link #kill}).
   */
  public void restart() {
    if (process().isAlive()) {
      throw new IllegalStateException(name + " still runs (pid " + pid() + "): stop or kill it first");
    }
    HostPort grpc = grpc();
    PeerEnv pinned = env.with("CORE_PEER_LISTENADDRESS", "127.0.0.1:" + grpc.port())
        .with("CORE_PEER_ADDRESS", "127.0.0.1:" + grpc.port());
    if (addresses.containsKey(REST)) {
      pinned = pinned.with("CORE_REST_ADDRESS", "127.0.0.1:" + addresses.get(REST).port());
    }
    if (addresses.containsKey(EVENTS)) {
      pinned = pinned.with("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:" + addresses.get(EVENTS).port());
    }
    env = pinned;
    spawn();
    awaitReady();
  }

  /** The output of every life of this peer, oldest first. */
  public String output() {
    StringBuilder out = new StringBuilder();
    for (ChildProcess p : lives) {
      out.append(p.output()).append('\n');
    }
    for (ChildProcess cc : chaincodes) {
      out.append(cc.output()).append('\n');
    }
    return out.toString();
  }

  private synchronized void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel = null;
    }
  }

  /** Kills whatever still runs: the peer, its chaincode, chaincode started by hand. */
  @Override
  public void close() {
    closeChannel();
    for (ChildProcess cc : chaincodes) {
      cc.close();
    }
    for (ChildProcess p : lives) {
      p.close();
    }
  }

  @Override
  public String toString() {
    return name + addresses;
  }
}
