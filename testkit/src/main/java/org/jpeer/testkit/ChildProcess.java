package org.jpeer.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process of a test: a peer, a {@code peer} CLI command, a chaincode jar. Its stdout and
 * stderr go to files (a child never blocks on a full pipe) and stay readable after it ended. Every
 * signal it is sent is checked. Whatever happens to the test, it does not outlive the test JVM: a
 * shutdown hook kills every child still running.
 */
public final class ChildProcess implements AutoCloseable {
  /** Most of each stream kept in failure messages; the files hold all of it. */
  private static final int TAIL_BYTES = 64 * 1024;
  private static final Duration EXIT_PATIENCE = Duration.ofSeconds(60);
  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killAll, "testkit-reaper"));
  }

  private final String name;
  private final List<String> command;
  private final Process process;
  private final Path stdoutFile;
  private final Path stderrFile;

  private ChildProcess(String name, List<String> command, Process process, Path stdoutFile, Path stderrFile) {
    this.name = name;
    this.command = command;
    this.process = process;
    this.stdoutFile = stdoutFile;
    this.stderrFile = stderrFile;
  }

  /** What a process that ran to completion left: its exit code and both streams. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** For assertion messages. */
    public String describe() {
      return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
  }

  /**
   * Starts {@code command} in {@code workDir} with exactly {@code env}, plus {@code PATH} and
   * {@code JAVA_HOME} of the test JVM (so {@code java} and the shell tools are found). Output goes
   * to {@code <logDir>/<name>.out} and {@code .err}.
   */
  public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
      Path logDir) {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(logDir);
      Path out = uniqueFile(logDir, name, ".out");
      Path err = uniqueFile(logDir, name, ".err");
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> childEnv = builder.environment();
      String path = childEnv.get("PATH");
      String javaHome = childEnv.get("JAVA_HOME");
      childEnv.clear();
      if (path != null) {
        childEnv.put("PATH", path);
      }
      if (javaHome != null) {
        childEnv.put("JAVA_HOME", javaHome);
      }
      childEnv.putAll(env);
      ChildProcess child = new ChildProcess(name, List.copyOf(command), builder.start(), out, err);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Runs a command to completion (at most {@code timeout}) and returns what it left. */
  public static Result run(String name, List<String> command, Path workDir, Map<String, String> env, Path logDir,
      Duration timeout) {
    try (ChildProcess child = start(name, command, workDir, env, logDir)) {
      int code = child.awaitExit(timeout);
      return new Result(code, child.stdout(), child.stderr());
    }
  }

  /** {@code java -jar <jar> <args>} on the JVM that runs the tests, e.g. a chaincode a user starts by hand. */
  public static ChildProcess javaJar(String name, Path jar, Map<String, String> env, Path workDir, Path logDir,
      String... args) {
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: build the examples module first (mvn -pl examples -am package)");
    }
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return start(name, command, workDir, env, logDir);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The processes it started (a peer's chaincode), alive now. */
  public List<ProcessHandle> descendants() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  public String stdout() {
    return tail(stdoutFile);
  }

  public String stderr() {
    return tail(stderrFile);
  }

  /** Both streams, labelled, for failure messages. */
  public String output() {
    String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
    return "---- " + name + " (pid " + pid() + ", " + state + "): " + String.join(" ", shorten(command))
        + "\n---- stdout (" + stdoutFile + ")\n" + stdout() + "---- stderr (" + stderrFile + ")\n" + stderr()
        + "---- end of " + name;
  }

  /** A watch that gives up as soon as this process has exited, and describes its output. */
  public Await.Watch watch() {
    return new Await.Watch() {
      @Override
      public String hopeless() {
        return process.isAlive() ? null : name + " exited with " + process.exitValue();
      }

      @Override
      public String describe() {
        return output();
      }
    };
  }

  /** Waits for a condition that needs this process running: fails at once when it exits. */
  public void await(String what, Await.Condition condition) {
    Await.until(what, Await.PATIENCE, condition, watch());
  }

  public int awaitExit() {
    return awaitExit(EXIT_PATIENCE);
  }

  /** Waits for the exit and returns the exit code (128 + n for a death by signal n). */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + timeout + "\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
    }
    LIVE.remove(this);
    return process.exitValue();
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  public int terminate() {
    sendTerm();
    return awaitExit();
  }

  /** SIGTERM without waiting: for a test that acts while the process shuts down. */
  public void sendTerm() {
    requireAlive("SIGTERM");
    process.destroy();
  }

  /** SIGKILL to this process and everything it started; returns once all of them are gone. */
  public void kill() {
    requireAlive("SIGKILL");
    List<ProcessHandle> started = descendants();
    process.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
    int code = awaitExit();
    if (code != 128 + 9) {
      throw new AssertionError(name + " should have died of SIGKILL (exit code 137), but exited with " + code
          + "\n" + output());
    }
    for (ProcessHandle p : started) {
      Await.until(name + "'s child " + p.pid() + " to be gone after SIGKILL", () -> !p.isAlive());
    }
  }

  /** SIGSTOP: the process is frozen (checked in /proc) until {@link #resume}. */
  public void pause() {
    requireAlive("SIGSTOP");
    Signals.pause(handle());
  }

  /** SIGCONT after {@link #pause}, checked. */
  public void resume() {
    requireAlive("SIGCONT");
    Signals.resume(handle());
  }

  private void requireAlive(String signal) {
    if (!process.isAlive()) {
      throw new AssertionError("cannot send " + signal + " to " + name + ": it already exited with "
          + process.exitValue() + "\n" + output());
    }
  }

  /** Kills it (and what it started) if it still runs; SIGKILL also ends a process frozen by SIGSTOP. */
  @Override
  public void close() {
    if (process.isAlive()) {
      List<ProcessHandle> started = descendants();
      started.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LIVE.remove(this);
  }

  private static void killAll() {
    for (ChildProcess child : List.copyOf(LIVE)) {
      child.process.descendants().forEach(ProcessHandle::destroyForcibly);
      child.process.destroyForcibly();
    }
  }

  private static Path uniqueFile(Path dir, String name, String suffix) throws IOException {
    String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path file = dir.resolve(base + suffix);
    for (int i = 2; Files.exists(file); i++) {
      file = dir.resolve(base + "-" + i + suffix);
    }
    return Files.createFile(file);
  }

  private static String tail(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      long from = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - from)];
      f.seek(from);
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return from == 0 ? text : "[... " + from + " bytes before ...]\n" + text;
    } catch (IOException e) {
      return "<cannot read " + file + ": " + e + ">\n";
    }
  }

  /** Class paths are long and say nothing in a failure message. */
  private static List<String> shorten(List<String> command) {
    List<String> out = new ArrayList<>(command);
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i - 1).equals("-cp") && out.get(i).length() > 200) {
        out.set(i, "<class path>");
      }
    }
    return out;
  }
}
