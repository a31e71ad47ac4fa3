package org.jpeer.testkit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of one peer under test: its own home folder, its data under
 * {@code <home>/production} ({@code peer.fileSystemPath}), every listening address on 127.0.0.1
 * port 0 (the peer picks free ports and records them in its addresses file), plus whatever a test
 * adds. Immutable: {@link #with} returns a new one.
 */
public final class PeerEnv {
  /** A small bucket tree keeps the ledger's start-up cheap; set it back to test the default tree. */
  public static final String TEST_BUCKETS = "1009";

  private final Path home;
  private final Map<String, String> vars;

  private PeerEnv(Path home, Map<String, String> vars) {
    this.home = home;
    this.vars = Collections.unmodifiableMap(vars);
  }

  public static PeerEnv forHome(Path home) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("HOME", home.toString()); // a "~/" in any setting stays inside the test's folder
    vars.put("CORE_PEER_FILESYSTEMPATH", home.resolve("production").toString());
    vars.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:0");
    vars.put("CORE_PEER_ADDRESS", "127.0.0.1:0");
    vars.put("CORE_REST_ADDRESS", "127.0.0.1:0");
    vars.put("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:0");
    vars.put("CORE_LEDGER_STATE_DATASTRUCTURE_CONFIGS_NUMBUCKETS", TEST_BUCKETS);
    return new PeerEnv(home, vars);
  }

  public PeerEnv with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(vars);
    copy.put(name, value);
    return new PeerEnv(home, copy);
  }

  public PeerEnv with(Map<String, String> more) {
    Map<String, String> copy = new LinkedHashMap<>(vars);
    copy.putAll(more);
    return new PeerEnv(home, copy);
  }

  public PeerEnv without(String name) {
    Map<String, String> copy = new LinkedHashMap<>(vars);
    copy.remove(name);
    return new PeerEnv(home, copy);
  }

  /** The folder the peer runs in (its working directory and HOME). */
  public Path home() {
    return home;
  }

  /** {@code peer.fileSystemPath}: the ledger, chaincode files, {@code peer.pid}, {@code peer.addresses}. */
  public Path fileSystemPath() {
    return Path.of(vars.get("CORE_PEER_FILESYSTEMPATH"));
  }

  public String get(String name) {
    return vars.get(name);
  }

  public Map<String, String> vars() {
    return vars;
  }

  @Override
  public String toString() {
    return "PeerEnv" + vars;
  }
}
