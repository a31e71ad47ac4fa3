package org.jpeer.peer.node;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HotSpot's C2 compiler away from one compilation that crashes the JVM of OpenJDK 17.0.15
 * (SIGSEGV in {@code PhaseIdealLoop::identical_backtoback_ifs}, a known C2 bug of that release; seen
 * here twice under saturating load, ~20 s after start, both times compiling
 * {@code RocksTx::commit} with the state-delta merge inlined). The two methods stay C1-compiled,
 * and the merge is not inlined into any C2 compilation. Applied through the JVM's own
 * {@code Compiler.directives_add} diagnostic command, so that every way of starting a peer
 * ({@code bin/peer}, the image, the test kit) gets it without a JVM flag.
 */
final class JitWorkaround {
  private static final Logger log = LoggerFactory.getLogger(JitWorkaround.class);

  /** The first directive that matches a method applies to its compilation. */
  static final String DIRECTIVES = """
      [
        { match: ["org/jpeer/ledger/RocksTx.commit", "org/jpeer/ledger/RocksBatch.txEnded",
                  "org/jpeer/ledger/StateDelta.merge"],
          c2: { Exclude: true } },
        { match: "*.*",
          c2: { inline: ["-org/jpeer/ledger/RocksBatch.txEnded", "-org/jpeer/ledger/StateDelta.merge"] } }
      ]
      """;

  private JitWorkaround() {}

  /** Adds the directives; a JVM without the diagnostic command (or not HotSpot) just runs without them. */
  static void apply() {
    Path file = null;
    try {
      file = Files.createTempFile("jpeer-c2-directives", ".json");
      Files.writeString(file, DIRECTIVES);
      Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
      log.debug("C2 directives added: {}", answer);
    } catch (Exception | LinkageError e) {
      log.warn("Could not add the C2 directives that avoid a JVM crash of OpenJDK 17.0.15 ({}); "
          + "run the peer with -XX:-SplitIfBlocks if it crashes in PhaseIdealLoop", e.toString());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
