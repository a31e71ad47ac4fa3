package org.jpeer.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code peer} child process ({@code java -cp <test class path> org.jpeer.peer.Main ...})
 * with its own environment; output goes to a file so the child never blocks on a full pipe.
 */
final class PeerProcess implements AutoCloseable {
  static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final Process process;
  private final Path output;

  private PeerProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code peer <args>} with exactly the given environment (plus PATH and HOME). */
  static PeerProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.jpeer.peer.Main");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> childEnv = builder.environment();
    String path = childEnv.get("PATH");
    childEnv.clear();
    if (path != null) {
      childEnv.put("PATH", path);
    }
    childEnv.put("HOME", workDir.toString());
    childEnv.putAll(env);
    Path output = Files.createTempFile(workDir, "peer-", ".log");
    builder.redirectErrorStream(true).redirectOutput(output.toFile());
    return new PeerProcess(builder.start(), output);
  }

  /** Runs {@code peer <args>} to completion and returns its exit code and output. */
  static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    try (PeerProcess p = start(workDir, env, args)) {
      if (!p.process.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("peer " + String.join(" ", args) + " did not finish; output:\n" + p.output());
      }
      return new Result(p.process.exitValue(), p.output());
    }
  }

  record Result(int exitCode, String output) {}

  Process process() {
    return process;
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<cannot read output: " + e + ">";
    }
  }

  /**
   * Waits until the condition holds, failing with the child's output if the deadline passes or the
   * child exits first. The pause between checks is a wait on the child itself, so its exit is seen
   * at once.
   */
  void await(String what, Check condition) throws Exception {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; output:\n" + output());
      }
      if (process.waitFor(25, TimeUnit.MILLISECONDS) && !condition.holds()) {
        throw new AssertionError(
            "peer exited with " + process.exitValue() + " before " + what + "; output:\n" + output());
      }
    }
  }

  /** Waits for the child to exit and returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("peer did not exit; output:\n" + output());
    }
    return process.exitValue();
  }

  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  /** Kills the child (and anything it started) if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
