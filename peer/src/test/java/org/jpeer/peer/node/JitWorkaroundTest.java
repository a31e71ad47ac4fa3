package org.jpeer.peer.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The C2 directives reach this JVM's compiler (read back through the same diagnostic command). */
class JitWorkaroundTest {
  @Test
  void theDirectivesAreInstalled() throws Exception {
    JitWorkaround.apply();
    String printed = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    assertThat(printed).contains("matching: org/jpeer/ledger/StateDelta.merge, org/jpeer/ledger/RocksBatch.txEnded,"
        + " org/jpeer/ledger/RocksTx.commit");
    assertThat(printed).contains("inline: -org/jpeer/ledger/RocksBatch.txEnded, -org/jpeer/ledger/StateDelta.merge");
  }
}
