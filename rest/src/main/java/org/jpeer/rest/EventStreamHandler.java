package org.jpeer.rest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jpeer.events.Ending;
import org.jpeer.events.EventHub;
import org.jpeer.events.EventSink;
import org.jpeer.events.SubscribeRefused;
import org.jpeer.events.Subscription;
import org.jpeer.protos.ChaincodeReg;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Interest;

/**
 * {@code GET /events?types=block,chaincode,rejection[&chaincodeID=..&eventName=..][&from=N]}: the
 * event hub as Server-Sent Events, for programs and pages that do not speak gRPC (a jpeer
 * extension). Each event is {@code id: <block>.<index>}, {@code event: block|chaincode|rejection}
 * and one {@code data:} line of JSON rendered as the REST block JSON; a reconnecting EventSource
 * sends {@code Last-Event-ID} and resumes right after that event. The back-pressure rule is the
 * gRPC consumers': a client too far behind gets {@code event: error} (when the connection can still
 * take it) and is disconnected. A comment line is sent when nothing else was for a while, so that
 * idle connections stay open and dead ones are noticed.
 */
final class EventStreamHandler extends Handler.Abstract {
  static final HttpField EVENT_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
  static final HttpField NO_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");

  private final EventHub hub; // null on a non-validating peer

  EventStreamHandler(EventHub hub) {
    this.hub = hub;
  }

  /** What the query asks for. */
  record Query(List<Interest> interests, OptionalLong from, int skip) {}

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!Http.path(request).equals("/events")) {
      return false;
    }
    if (!HttpMethod.GET.is(request.getMethod())) {
      Http.send(response, callback, 405, Http.error("/events takes GET only"));
      return true;
    }
    if (hub == null) {
      Http.send(response, callback, 404, Http.error("This peer runs no event hub: only validating peers do"));
      return true;
    }
    Query query;
    try {
      query = parse(Request.extractQueryParameters(request), request.getHeaders().get("Last-Event-ID"));
    } catch (IllegalArgumentException e) {
      Http.send(response, callback, 400, Http.error(e.getMessage()));
      return true;
    }
    SseSink sink = new SseSink(response, callback);
    Subscription subscription;
    try {
      subscription = hub.subscribe(sink, query.from());
    } catch (SubscribeRefused e) {
      Http.send(response, callback, 503, Http.error("Cannot subscribe: " + e.getMessage()));
      return true;
    }
    sink.subscription = subscription;
    response.setStatus(200);
    response.getHeaders().put(EVENT_STREAM).put(NO_CACHE);
    // the headers go out now, so that a client sees the stream open before the first event
    sink.write(": jpeer event hub\n\n");
    subscription.skipFirst(query.skip());
    subscription.register(query.interests(), null);
    return true;
  }

  static Query parse(Fields fields, String lastEventId) {
    String chaincodeId = single(fields, "chaincodeID");
    String eventName = single(fields, "eventName");
    String typesText = single(fields, "types");
    List<String> types = typesText == null
        ? chaincodeId == null ? List.of("block", "rejection") : List.of("block", "rejection", "chaincode")
        : List.of(typesText.split(",", -1));
    List<Interest> interests = new ArrayList<>();
    for (String type : types) {
      switch (type.trim().toLowerCase(Locale.ROOT)) {
        case "block" -> interests.add(Interest.newBuilder().setEventType(EventType.BLOCK).build());
        case "rejection" -> interests.add(Interest.newBuilder().setEventType(EventType.REJECTION).build());
        case "chaincode" -> {
          if (chaincodeId == null || chaincodeId.isEmpty()) {
            throw new IllegalArgumentException("types=chaincode needs chaincodeID=<the chaincode's name>");
          }
          interests.add(Interest.newBuilder().setEventType(EventType.CHAINCODE).setChaincodeRegInfo(
              ChaincodeReg.newBuilder().setChaincodeID(chaincodeId).setEventName(eventName == null ? "" : eventName))
              .build());
        }
        default -> throw new IllegalArgumentException("Unknown event type \"" + clip(type)
            + "\" in types: use block, chaincode and rejection, separated by commas");
      }
    }
    if (chaincodeId != null && !types.contains("chaincode")) {
      throw new IllegalArgumentException("chaincodeID is given but types does not include chaincode");
    }
    String from = single(fields, "from");
    if (from != null) {
      return new Query(interests, OptionalLong.of(number(from, "from")), 0);
    }
    if (lastEventId != null && !lastEventId.isBlank()) {
      String[] parts = lastEventId.trim().split("\\.", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("Last-Event-ID must be <block>.<index> as sent in id:, got \""
            + clip(lastEventId) + "\"");
      }
      return new Query(interests, OptionalLong.of(number(parts[0], "Last-Event-ID")),
          Math.toIntExact(Math.min(number(parts[1], "Last-Event-ID"), Integer.MAX_VALUE - 1)) + 1);
    }
    return new Query(interests, OptionalLong.empty(), 0);
  }

  private static String single(Fields fields, String name) {
    Fields.Field field = fields.get(name);
    if (field == null) {
      return null;
    }
    if (field.getValues().size() > 1) {
      throw new IllegalArgumentException("Give " + name + " once");
    }
    return field.getValue();
  }

  private static long number(String text, String what) {
    try {
      return ChainHandler.parseUint64(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a block number (0 or above), got \"" + clip(text) + "\"");
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  static String render(Event event, long block, int index) {
    String kind;
    String json;
    switch (event.getEventCase()) {
      case BLOCK -> {
        kind = "block";
        json = ProtoJson.render(event.getBlock());
      }
      case CHAINCODEEVENT -> {
        kind = "chaincode";
        json = ProtoJson.render(event.getChaincodeEvent());
      }
      case REJECTION -> {
        kind = "rejection";
        json = ProtoJson.render(event.getRejection());
      }
      default -> {
        return "";
      }
    }
    return "id: " + block + "." + index + "\nevent: " + kind + "\ndata: " + json + "\n\n";
  }

  /** One response as a sink: ready while no write is under way. */
  static final class SseSink implements EventSink {
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean over;
    volatile Subscription subscription;

    SseSink(Response response, Callback callback) {
      this.response = response;
      this.callback = callback;
    }

    @Override
    public boolean isReady() {
      return !writing.get() && !over;
    }

    @Override
    public void send(Event event, long block, int index) {
      write(render(event, block, index));
    }

    @Override
    public void heartbeat() {
      write(": keep-alive\n\n");
    }

    void write(String text) {
      writing.set(true);
      response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Callback.from(() -> {
        writing.set(false);
        Subscription s = subscription;
        if (s != null) {
          s.wake();
        }
      }, failure -> {
        over = true;
        Subscription s = subscription;
        if (s != null) {
          s.end(new Ending(Ending.Reason.CONSUMER_DONE, "the client went away"));
        }
        callback.failed(failure);
      }));
    }

    @Override
    public void end(Ending ending) {
      if (over) {
        return;
      }
      over = true;
      if (ending.reason() == Ending.Reason.CONSUMER_DONE) {
        callback.failed(new IOException(ending.message()));
      } else if (writing.get()) {
        callback.failed(new IOException(ending.message())); // the connection takes nothing: drop it
      } else {
        String data = GoJson.string(new StringBuilder("{\"Error\":"), ending.message()).append('}').toString();
        response.write(true, ByteBuffer.wrap(("event: error\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)),
            callback);
      }
    }
  }
}
