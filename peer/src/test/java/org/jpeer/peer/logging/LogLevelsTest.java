package org.jpeer.peer.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.jpeer.config.LogLevel;
import org.jpeer.config.LogSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelsTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restore() {
    LogLevels.apply(new LogSpec(LogLevel.INFO, Map.of()));
  }

  @Test
  void originalLevelNamesMapToLogback() {
    assertThat(LogLevels.toLogback(LogLevel.CRITICAL)).isEqualTo(Level.ERROR);
    assertThat(LogLevels.toLogback(LogLevel.ERROR)).isEqualTo(Level.ERROR);
    assertThat(LogLevels.toLogback(LogLevel.WARNING)).isEqualTo(Level.WARN);
    assertThat(LogLevels.toLogback(LogLevel.NOTICE)).isEqualTo(Level.INFO);
    assertThat(LogLevels.toLogback(LogLevel.INFO)).isEqualTo(Level.INFO);
    assertThat(LogLevels.toLogback(LogLevel.DEBUG)).isEqualTo(Level.DEBUG);
  }

  @Test
  void defaultLevelGoesToJpeerAndModulesToTheirLoggers() {
    LogLevels.apply(
        new LogSpec(
            LogLevel.DEBUG,
            Map.of("consensus/pbft", LogLevel.CRITICAL, "ledger", LogLevel.WARNING, "io.grpc", LogLevel.INFO)));
    assertThat(context.getLogger("org.jpeer").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("org.jpeer.peer.cli.X").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("org.jpeer.consensus.pbft.PbftCore").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.jpeer.ledger").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.grpc").getLevel()).isEqualTo(Level.INFO);
    // third-party libraries stay at WARN even when jpeer logs at DEBUG
    assertThat(context.getLogger("io.netty.Something").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void aStricterDefaultAlsoQuietsTheRoot() {
    LogLevels.apply(new LogSpec(LogLevel.CRITICAL, Map.of()));
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
  }
}
