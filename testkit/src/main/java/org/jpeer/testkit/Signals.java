package org.jpeer.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * SIGSTOP and SIGCONT, which the JDK cannot send, through {@code kill}; each one checked twice: the
 * command's exit code, then the process's state in {@code /proc/<pid>/stat}. For processes the kit
 * did not start itself, e.g. a peer's chaincode.
 */
public final class Signals {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private Signals() {}

  /** Freezes {@code p} and returns once it is stopped. */
  public static void pause(ProcessHandle p) {
    send("STOP", p);
    Await.until("process " + p.pid() + " to be stopped by SIGSTOP", PATIENCE, () -> stopped(p));
  }

  /** Lets a frozen {@code p} run again and returns once it runs. */
  public static void resume(ProcessHandle p) {
    send("CONT", p);
    Await.until("process " + p.pid() + " to run again after SIGCONT", PATIENCE, () -> !stopped(p));
  }

  private static void send(String signal, ProcessHandle p) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " " + p.pid() + " failed: " + out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run kill -" + signal + " " + p.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while sending SIG" + signal, e);
    }
  }

  /** State letter of {@code /proc/<pid>/stat}: T (stopped) or t (tracing stop) count as stopped. */
  static boolean stopped(ProcessHandle p) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"), StandardCharsets.UTF_8);
    // "pid (comm) S ..." where comm may hold spaces and parentheses: the state follows the last ')'
    char state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state == 'T' || state == 't';
  }
}
