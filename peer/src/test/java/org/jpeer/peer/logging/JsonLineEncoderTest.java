package org.jpeer.peer.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();

  private JsonNode encode(LoggingEvent event) throws Exception {
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.indexOf('\n')).as("one line").isEqualTo(line.length() - 1);
    return JSON.readTree(line);
  }

  @Test
  void anEventIsOneObjectWithTheNamedFields() throws Exception {
    LoggingEvent e = new LoggingEvent("x", context.getLogger("org.jpeer.consensus.pbft.PbftCore"), Level.WARN,
        "view change to {} with \"quotes\"\nand a newline", null, new Object[] {3});
    e.setTimeStamp(1_796_151_447_123L);
    e.setMDCPropertyMap(Map.of("txid", "tx-1"));
    JsonNode n = encode(e);
    assertThat(n.get("timestamp").asText()).isEqualTo("2026-12-01T18:57:27.123Z");
    assertThat(n.get("level").asText()).isEqualTo("WARN");
    assertThat(n.get("module").asText()).isEqualTo("consensus/pbft");
    assertThat(n.get("logger").asText()).isEqualTo("org.jpeer.consensus.pbft.PbftCore");
    assertThat(n.get("message").asText()).isEqualTo("view change to 3 with \"quotes\"\nand a newline");
    assertThat(n.get("txid").asText()).isEqualTo("tx-1");
    assertThat(n.has("error")).isFalse();
  }

  @Test
  void anExceptionGoesIntoErrorAndNoTxidWithoutOne() throws Exception {
    LoggingEvent e = new LoggingEvent("x", context.getLogger("io.grpc.internal.SerializingExecutor"), Level.ERROR,
        "boom", new IllegalStateException("bad state"), null);
    e.setMDCPropertyMap(Map.of());
    JsonNode n = encode(e);
    assertThat(n.get("module").asText()).isEqualTo("io.grpc.internal.SerializingExecutor");
    assertThat(n.get("error").asText()).contains("IllegalStateException: bad state").contains("\tat ");
    assertThat(n.has("txid")).isFalse();
  }

  @Test
  void modulesAreFabricStyle() {
    assertThat(JsonLineEncoder.module("org.jpeer.executor.LedgerExecutor")).isEqualTo("executor");
    assertThat(JsonLineEncoder.module("org.jpeer.peer.statetransfer.LedgerStateTransfer")).isEqualTo("peer/statetransfer");
    assertThat(JsonLineEncoder.module("org.eclipse.jetty.server.Server")).isEqualTo("org.eclipse.jetty.server.Server");
  }
}
