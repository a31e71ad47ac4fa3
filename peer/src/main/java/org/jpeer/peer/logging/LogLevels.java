package org.jpeer.peer.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.jpeer.config.LogLevel;
import org.jpeer.config.LogSpec;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link LogSpec} to Logback. The original's level names map to Logback's: CRITICAL and
 * ERROR to ERROR, WARNING to WARN, NOTICE and INFO to INFO, DEBUG to DEBUG.
 *
 * <p>The default level applies to jpeer's own loggers ({@code org.jpeer}); third-party libraries
 * (gRPC, Netty, Jetty, docker-java) stay at WARN unless the default is stricter, so that
 * {@code --logging-level debug} shows the peer's detail without the transport's wire noise. A
 * module override names a Fabric-style module ({@code consensus/pbft} = logger
 * {@code org.jpeer.consensus.pbft}) or, when it contains a dot, a logger by its full name
 * ({@code io.grpc=debug}).
 */
public final class LogLevels {
  private static final String JPEER_ROOT = "org.jpeer";

  private LogLevels() {}

  private static final String SERVER_BOOTSTRAP = "io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap";

  /**
   * Sets Logback's levels from the spec, replacing all levels set before; does nothing if Logback
   * is not the SLF4J backend.
   */
  public static void apply(LogSpec spec) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    // the spec replaces every earlier one: no module override survives from a previous call
    for (Logger logger : context.getLoggerList()) {
      if (!logger.getName().equals(Logger.ROOT_LOGGER_NAME)) {
        logger.setLevel(null);
      }
    }
    // gRPC asks every accepted connection for TCP keepalive, which the chaincode Unix socket
    // (chaincode.java.unixsocket) does not have: Netty would warn once per chaincode stream
    context.getLogger(SERVER_BOOTSTRAP).setLevel(Level.ERROR);
    Level jpeer = toLogback(spec.defaultLevel());
    context.getLogger(JPEER_ROOT).setLevel(jpeer);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(jpeer.isGreaterOrEqual(Level.WARN) ? jpeer : Level.WARN);
    for (Map.Entry<String, LogLevel> module : spec.modules().entrySet()) {
      context.getLogger(loggerName(module.getKey())).setLevel(toLogback(module.getValue()));
    }
  }

  /** The Logback level for one of the original's level names. */
  public static Level toLogback(LogLevel level) {
    return switch (level) {
      case CRITICAL, ERROR -> Level.ERROR;
      case WARNING -> Level.WARN;
      case NOTICE, INFO -> Level.INFO;
      case DEBUG -> Level.DEBUG;
    };
  }

  /** The logger a module name stands for. */
  static String loggerName(String module) {
    if (module.contains(".")) {
      return module;
    }
    return JPEER_ROOT + "." + module.replace('/', '.');
  }
}
