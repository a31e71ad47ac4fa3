package org.jpeer.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a peer (or the {@code peer} CLI) is run as a child process: a JVM on a class path that holds
 * {@code org.jpeer.peer.Main} (the peer module's own tests, before it is packaged), or
 * {@code bin/peer} against the packaged jar (as a user runs it).
 */
public record PeerLauncher(List<String> prefix, Map<String, String> env, String description) {
  public static final String MAIN_CLASS = "org.jpeer.peer.Main";

  public PeerLauncher {
    prefix = List.copyOf(prefix);
    env = Map.copyOf(env);
  }

  /** {@code java -cp <classPath> org.jpeer.peer.Main}, on the JVM running the tests. */
  public static PeerLauncher classPath(String classPath) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new PeerLauncher(List.of(java, "-cp", classPath, MAIN_CLASS), Map.of(), "java -cp ... " + MAIN_CLASS);
  }

  /** The test JVM's own class path: for tests of the peer module, where it holds the peer's classes. */
  public static PeerLauncher testClassPath() {
    return classPath(System.getProperty("java.class.path"));
  }

  /**
   * {@code <root>/bin/peer} on what the build packaged; {@code JPEER_NO_BUILD=1} makes a missing or
   * stale jar an error instead of a nested Maven build.
   */
  public static PeerLauncher binPeer(Path root) {
    Path script = root.resolve("bin/peer").toAbsolutePath().normalize();
    if (!Files.isExecutable(script)) {
      throw new IllegalArgumentException(script + " is not an executable launcher");
    }
    return new PeerLauncher(List.of(script.toString()), Map.of("JPEER_NO_BUILD", "1"), script.toString());
  }

  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(args);
    return command;
  }
}
