package org.jpeer.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code bin/membersrvc} on 127.0.0.1, port 0, its state in {@code <dir>/state}; the port is
 * read from its "listening on" line. {@code JPEER_NO_BUILD=1}: the build packaged it before.
 */
public final class MembershipServiceProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final ChildProcess process;
  private final int port;

  private MembershipServiceProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Map<String, String> env(Path dir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "JPEER_NO_BUILD", "1",
        "MEMBERSRVC_CA_SERVER_ROOTPATH", dir.toString(),
        "MEMBERSRVC_CA_SERVER_CADIR", "state",
        "MEMBERSRVC_CA_SERVER_PORT", "127.0.0.1:0"));
    env.putAll(extra);
    return env;
  }

  public static MembershipServiceProcess start(Path root, Path dir, Map<String, String> extraEnv) {
    ChildProcess process = ChildProcess.start("membersrvc", List.of(root.resolve("bin/membersrvc").toString()), dir,
        env(dir, extraEnv), dir.resolve("logs"));
    try {
      int port = Await.result("the membership service listening", Await.PATIENCE, () -> {
        Matcher m = LISTENING.matcher(process.stderr());
        return m.find() ? Integer.parseInt(m.group(1)) : null;
      }, process.watch());
      return new MembershipServiceProcess(process, port);
    } catch (RuntimeException | Error e) {
      process.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, what {@code peer.pki.*.paddr} take. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public ChildProcess process() {
    return process;
  }

  public String stderr() {
    return process.stderr();
  }

  @Override
  public void close() {
    process.close();
  }
}
