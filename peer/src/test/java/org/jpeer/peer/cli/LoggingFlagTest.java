package org.jpeer.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jpeer.config.LogLevel;
import org.jpeer.config.LogSpec;
import org.jpeer.peer.logging.LogLevels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The command family's level from logging.*, CORE_LOGGING_LEVEL and --logging-level, seen in real log events. */
class LoggingFlagTest {
  @TempDir Path workDir;
  private FakeDevops devops;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void setUp() throws Exception {
    devops = new FakeDevops();
    root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void tearDown() throws Exception {
    root.detachAppender(events);
    devops.close();
    LogLevels.apply(new LogSpec(LogLevel.INFO, Map.of()));
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:" + devops.port());
    env.put("CORE_PEER_FILESYSTEMPATH", workDir.toString());
    return env;
  }

  private boolean invokedLogged(Map<String, String> env, String... extra) {
    events.list.clear();
    String[] base = {"chaincode", "invoke", "-n", "mycc", "-c", "{\"Args\":[\"move\"]}"};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
    assertThat(CliRun.of(workDir, env, args).exitCode()).isZero();
    return events.list.stream()
        .anyMatch(e -> e.getFormattedMessage().startsWith("Successfully invoked transaction: ")
            && e.getFormattedMessage().endsWith("(tx-1)"));
  }

  @Test
  void chaincodeFamilyIsQuietByDefault() {
    assertThat(invokedLogged(env())).isFalse();
  }

  @Test
  void loggingLevelFlagShowsInfo() {
    assertThat(invokedLogged(env(), "--logging-level", "INFO")).isTrue();
  }

  @Test
  void coreLoggingLevelAndPerFamilyKeyShowInfo() {
    Map<String, String> env = env();
    env.put("CORE_LOGGING_LEVEL", "notice");
    assertThat(invokedLogged(env)).isTrue();
    Map<String, String> family = env();
    family.put("CORE_LOGGING_CHAINCODE", "info");
    assertThat(invokedLogged(family)).isTrue();
  }

  @Test
  void flagBeatsEnvironment() {
    Map<String, String> env = env();
    env.put("CORE_LOGGING_LEVEL", "debug");
    assertThat(invokedLogged(env, "--logging-level", "error")).isFalse();
  }

  @Test
  void moduleOverrideReachesOneLogger() {
    assertThat(invokedLogged(env(), "--logging-level", "peer/cli=info")).isTrue();
    assertThat(invokedLogged(env(), "--logging-level", "ledger=info")).isFalse();
  }
}
