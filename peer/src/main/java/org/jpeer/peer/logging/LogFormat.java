package org.jpeer.peer.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import org.jpeer.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format} to the console appender of logback.xml: JSON lines, or the
 * readable pattern. Does nothing if Logback is not the SLF4J backend.
 */
public final class LogFormat {
  static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{24} - %msg%n";

  private LogFormat() {}

  public static void apply(LoggingSettings.Format format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        boolean json = format == LoggingSettings.Format.JSON;
        if (json == console.getEncoder() instanceof JsonLineEncoder) {
          continue;
        }
        Encoder<ILoggingEvent> encoder = json ? new JsonLineEncoder() : textEncoder(context);
        encoder.setContext(context);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }

  private static PatternLayoutEncoder textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern(TEXT_PATTERN);
    encoder.setContext(context);
    return encoder;
  }
}
