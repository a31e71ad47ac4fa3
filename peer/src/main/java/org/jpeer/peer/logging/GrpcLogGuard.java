package org.jpeer.peer.logging;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC logs a request that does not parse as its message type through java.util.logging, as a
 * SEVERE with a 20-line stack trace per request: a lever for anyone to flood the peer's log. This
 * turns what gRPC's call executor logs into one WARN line at most every 10 s (with the count of the
 * others), without the payload; the full record still goes to DEBUG.
 */
public final class GrpcLogGuard {
  private static final Logger log = LoggerFactory.getLogger("org.jpeer.peer.grpc");
  /** Held so that the JUL logger, and the settings made on it, are not garbage collected. */
  private static final java.util.logging.Logger EXECUTOR_LOG =
      java.util.logging.Logger.getLogger("io.grpc.internal.SerializingExecutor");
  private static final WarnLimiter LIMITER = new WarnLimiter(log, TimeUnit.SECONDS.toNanos(10));

  private GrpcLogGuard() {}

  /** Idempotent. */
  public static synchronized void install() {
    for (Handler h : EXECUTOR_LOG.getHandlers()) {
      if (h instanceof OneLine) {
        return;
      }
    }
    EXECUTOR_LOG.setUseParentHandlers(false);
    EXECUTOR_LOG.addHandler(new OneLine());
  }

  static String describe(LogRecord record) {
    Throwable t = record.getThrown();
    if (t == null) {
      return "gRPC: " + record.getMessage();
    }
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.INTERNAL && "Invalid protobuf byte sequence".equals(status.getDescription())) {
      return "gRPC request refused: its message does not parse as the method's request type";
    }
    return "gRPC call failed: " + t;
  }

  private static final class OneLine extends Handler {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() < Level.WARNING.intValue()) {
        return;
      }
      LIMITER.warn(describe(record));
      if (log.isDebugEnabled()) {
        log.debug("gRPC's record: {}", record.getMessage(), record.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
