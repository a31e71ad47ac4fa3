package org.jpeer.peer.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code logging.format: json}: one JSON object per line, for log shippers that parse JSON.
 * Fields: {@code timestamp} (ISO-8601 UTC), {@code level}, {@code module} (the Fabric-style module,
 * {@code consensus/pbft}, or the logger for libraries), {@code logger}, {@code thread},
 * {@code message}, {@code txid} when the event concerns one transaction, {@code error} with the
 * stack trace when there is one.
 *
 * <p>Written by hand over Jackson's streaming generator rather than Logback's {@code JsonEncoder},
 * whose field names and nesting ({@code mdc}, {@code kvpList}, nanoseconds) are fixed.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  /** The MDC key for the transaction an event concerns. */
  public static final String TXID = "txid";

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NOTHING = new byte[0];
  private static final String JPEER = "org.jpeer.";

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())));
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("module", module(event.getLoggerName()));
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      String txid = mdc == null ? null : mdc.get(TXID);
      if (txid != null) {
        g.writeStringField(TXID, txid);
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  /** {@code org.jpeer.consensus.pbft.PbftCore} → {@code consensus/pbft}; others stay as they are. */
  static String module(String logger) {
    if (logger == null || !logger.startsWith(JPEER)) {
      return logger == null ? "" : logger;
    }
    String rest = logger.substring(JPEER.length());
    int lastDot = rest.lastIndexOf('.');
    String pkg = lastDot < 0 ? rest : rest.substring(0, lastDot);
    return pkg.replace('.', '/');
  }
}
