package org.jpeer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an end-to-end test starts, owned for one test method. Register it as an instance field:
 *
 * <pre>
 *   &#64;RegisterExtension final TestKit kit = new TestKit();
 *   ...
 *   LocalPeer peer = kit.peer();                                  // one peer, free ports
 *   PeerNetwork net = kit.network(PeerNetwork.Spec.noops(2));     // N peers
 * </pre>
 *
 * After the test it closes everything in reverse order, prints every process's output if the test
 * failed, fails the test if a child process of this JVM is still running, and deletes the test's
 * folder (kept, and named, when the test failed, unless {@code -Djpeer.testkit.keepFailedFolders=false}).
 */
public final class TestKit implements BeforeEachCallback, AfterEachCallback {
  private static final Duration LEFTOVER_PATIENCE = Duration.ofSeconds(30);

  private final PeerLauncher launcher;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final List<Supplier<String>> outputs = new ArrayList<>();
  private Set<Long> childrenBefore = Set.of();
  private Path dir;

  /** Peers run on this JVM's class path: for the tests of the peer module. */
  /** Of the test method's name in the folder's. */
  private static final int MAX_NAME_CHARS = 24;

  public TestKit() {
    this(PeerLauncher.testClassPath());
  }

  public TestKit(PeerLauncher launcher) {
    this.launcher = launcher;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    // short enough that a peer's <fileSystemPath>/chaincode.sock fits in a Unix socket address
    // (107 bytes), so peers under test serve chaincode on it as they do by default
    String method = context.getRequiredTestMethod().getName();
    dir = Files.createTempDirectory("jpeer-" + method.substring(0, Math.min(method.length(), MAX_NAME_CHARS)) + "-");
    childrenBefore = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    boolean failed = context.getExecutionException().isPresent();
    List<Throwable> problems = new ArrayList<>();
    String report = failed ? report() : "";
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception | Error e) {
        problems.add(e);
      }
    }
    owned.clear();
    outputs.clear();
    String leftover = killLeftovers();
    // mutation testing fails tests by the thousand: it turns keeping their folders off
    boolean keep = failed && !"false".equals(System.getProperty("jpeer.testkit.keepFailedFolders"));
    if (failed) {
      System.out.println("==== " + context.getDisplayName() + " failed; its folder " + dir
          + (keep ? " is kept" : "") + "\n" + report);
    }
    if (!keep && leftover == null && problems.isEmpty()) {
      deleteTree(dir);
    }
    if (leftover != null) {
      problems.add(0, new AssertionError(leftover));
    }
    if (!problems.isEmpty()) {
      AssertionError e = new AssertionError("the test kit could not clean up after " + context.getDisplayName()
          + " (folder " + dir + ")");
      problems.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** This test's own folder, empty at the start. */
  public Path dir() {
    return dir;
  }

  /** Where child processes' output files go. */
  public Path logDir() {
    return dir.resolve("logs");
  }

  public PeerLauncher launcher() {
    return launcher;
  }

  /** The environment of a peer called {@code name} in this test's folder. */
  public PeerEnv env(String name) {
    return PeerEnv.forHome(dir.resolve(name));
  }

  /** Starts one peer ({@code node start <flags>}) on free ports, ready when this returns. */
  public LocalPeer peer(String... flags) {
    return peer(env("peer"), flags);
  }

  public LocalPeer peer(PeerEnv env, String... flags) {
    LocalPeer p = LocalPeer.start(env.home().getFileName().toString(), launcher, env, logDir(), flags);
    return own(p, p::output);
  }

  /** Starts N peers as separate processes (see {@link PeerNetwork}). */
  public PeerNetwork network(PeerNetwork.Spec spec) {
    PeerNetwork net = PeerNetwork.start(spec, launcher, dir.resolve("network"), logDir());
    return own(net, net::output);
  }

  /** Runs the {@code peer} CLI with {@code env} (no running peer needed) to completion. */
  public ChildProcess.Result cli(PeerEnv env, String... args) {
    Map<String, String> vars = new java.util.HashMap<>(launcher.env());
    vars.putAll(env.vars());
    return ChildProcess.run("peer " + String.join(" ", args), launcher.command(List.of(args)), env.home(), vars,
        logDir(), Duration.ofMinutes(2));
  }

  /** {@code java -jar jar args} with exactly {@code env}, e.g. a chaincode started by hand. */
  public ChildProcess javaJar(String name, Path jar, Map<String, String> env, String... args) {
    ChildProcess p = ChildProcess.javaJar(name, jar, env, dir, logDir(), args);
    return own(p, p::output);
  }

  /** Closes {@code resource} after the test (before the test's folder goes). */
  public <T extends AutoCloseable> T own(T resource) {
    return own(resource, () -> "");
  }

  private <T extends AutoCloseable> T own(T resource, Supplier<String> output) {
    owned.add(resource);
    outputs.add(output);
    return resource;
  }

  private String report() {
    StringBuilder out = new StringBuilder();
    for (Supplier<String> s : outputs) {
      try {
        out.append(s.get());
      } catch (RuntimeException e) {
        out.append("<output unavailable: ").append(e).append(">\n");
      }
    }
    return out.toString();
  }

  /** Child processes of this JVM started during the test (chaincode, too) that outlive it. */
  private String killLeftovers() {
    List<ProcessHandle> left = new ArrayList<>();
    try {
      Await.until("every process started by the test has ended", LEFTOVER_PATIENCE, () -> {
        left.clear();
        ProcessHandle.current().children().filter(p -> !childrenBefore.contains(p.pid()))
            .filter(ProcessHandle::isAlive).forEach(left::add);
        return left.isEmpty();
      });
      return null;
    } catch (AssertionError e) {
      String names = left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .collect(Collectors.joining("\n  "));
      left.forEach(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
      return "the test left processes running (now killed):\n  " + names;
    }
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the test folder " + root, e);
    }
  }
}
