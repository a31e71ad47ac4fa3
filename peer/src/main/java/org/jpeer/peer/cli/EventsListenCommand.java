package org.jpeer.peer.cli;

import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.ChaincodeReg;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.EventsGrpc;
import org.jpeer.protos.Interest;
import org.jpeer.protos.Register;
import org.jpeer.protos.Rejection;
import org.jpeer.protos.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peer events listen}: prints one line per event from the peer's event hub (a jpeer command;
 * the original has none):
 *
 * <pre>
 * block &lt;number&gt; &lt;transactions&gt; &lt;txid&gt;...
 * chaincode &lt;number&gt; &lt;chaincodeID&gt; &lt;eventName&gt; &lt;txid&gt; &lt;payload: UTF-8 text, else base64:...&gt;
 * rejection &lt;number&gt; &lt;txid&gt; &lt;error message on one line&gt;
 * </pre>
 *
 * It starts at the block after the newest committed one, or at {@code --from}, and numbers blocks
 * from there (it always registers for blocks to count them, and prints them only when asked).
 */
@Command(name = "listen", description = "Prints the peer's block, chaincode and rejection events, one line each.")
final class EventsListenCommand implements Callable<Integer> {
  private static final long REGISTRATION_TIMEOUT_SECONDS = 10;
  private static final Metadata.Key<String> FROM_BLOCK =
      Metadata.Key.of("jpeer-from-block", Metadata.ASCII_STRING_MARSHALLER);

  @Mixin CommonOptions common;

  @Option(names = "--types", split = ",", paramLabel = "TYPE",
      description = "Event types to print: block, chaincode, rejection (default: block and rejection, and chaincode with --chaincode).")
  List<String> types;

  @Option(names = "--from", paramLabel = "N", description = "Start at block N (replayed from the ledger, then live).")
  Long from;

  @Option(names = "--chaincode", paramLabel = "NAME", description = "The chaincode (its deployed name) whose events to print.")
  String chaincode;

  @Option(names = "--event", paramLabel = "NAME", description = "Only the chaincode events of this name (default: all).")
  String eventName;

  @Option(names = "--count", paramLabel = "N", description = "Exit after printing N events (default: run until stopped).")
  Long count;

  private final CliContext context;

  EventsListenCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    boolean wantBlocks;
    boolean wantRejections;
    boolean wantChaincode;
    List<String> asked = types == null
        ? chaincode == null ? List.of("block", "rejection") : List.of("block", "rejection", "chaincode")
        : types.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    for (String t : asked) {
      if (!List.of("block", "chaincode", "rejection").contains(t)) {
        throw CliException.usage("unknown event type \"" + t + "\" in --types: use block, chaincode, rejection");
      }
    }
    wantBlocks = asked.contains("block");
    wantRejections = asked.contains("rejection");
    wantChaincode = asked.contains("chaincode");
    if (wantChaincode && (chaincode == null || chaincode.isEmpty())) {
      throw CliException.usage("--types chaincode needs --chaincode NAME");
    }
    if (eventName != null && chaincode == null) {
      throw CliException.usage("--event needs --chaincode NAME");
    }
    if (from != null && from < 0) {
      throw CliException.usage("--from must be 0 or above, got " + from);
    }
    if (count != null && count < 1) {
      throw CliException.usage("--count must be 1 or above, got " + count);
    }
    JpeerConfig config = context.loadConfig("events", List.of());
    long start;
    if (from != null) {
      start = from;
    } else {
      try (PeerClient peer = PeerClient.open(config)) {
        BlockchainInfo info = peer.openchain().getBlockchainInfo(com.google.protobuf.Empty.getDefaultInstance());
        start = info.getHeight();
      } catch (StatusRuntimeException e) {
        throw CliException.failure("Error reading the chain height from the peer: " + e.getStatus(), e);
      }
    }
    List<Interest> interests = new ArrayList<>();
    interests.add(Interest.newBuilder().setEventType(EventType.BLOCK).build());
    if (wantRejections) {
      interests.add(Interest.newBuilder().setEventType(EventType.REJECTION).build());
    }
    if (wantChaincode) {
      interests.add(Interest.newBuilder().setEventType(EventType.CHAINCODE).setChaincodeRegInfo(ChaincodeReg
          .newBuilder().setChaincodeID(chaincode).setEventName(eventName == null ? "" : eventName)).build());
    }
    Event register = Event.newBuilder().setRegister(Register.newBuilder().addAllEvents(interests)).build();

    try (PeerClient hub = PeerClient.openEvents(config)) {
      Metadata headers = new Metadata();
      headers.put(FROM_BLOCK, Long.toString(start));
      EventsGrpc.EventsStub stub = EventsGrpc.newStub(
          ClientInterceptors.intercept(hub.channel(), MetadataUtils.newAttachHeadersInterceptor(headers)));
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      StreamObserver<Event> requests = stub.chat(new StreamObserver<>() {
        @Override
        public void onNext(Event value) {
          received.add(value);
        }

        @Override
        public void onError(Throwable t) {
          received.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          received.add(Status.OK);
        }
      });
      requests.onNext(register);
      Object first = received.poll(REGISTRATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (first == null) {
        throw CliException.failure("timeout waiting for registration at " + hub.target());
      }
      if (first instanceof Status status) {
        throw ended(status, hub);
      }
      if (!((Event) first).hasRegister()) {
        throw CliException.failure("the event hub at " + hub.target() + " answered the registration with "
            + ((Event) first).getEventCase());
      }
      long blocksSeen = 0;
      long printed = 0;
      while (count == null || printed < count) {
        Object next = received.take();
        if (next instanceof Status status) {
          throw ended(status, hub);
        }
        Event event = (Event) next;
        String line = null;
        switch (event.getEventCase()) {
          case BLOCK -> {
            if (wantBlocks) {
              line = blockLine(start + blocksSeen, event.getBlock());
            }
            blocksSeen++;
          }
          case REJECTION -> line = rejectionLine(start + blocksSeen, event.getRejection());
          case CHAINCODEEVENT -> line = chaincodeLine(start + blocksSeen - 1, event.getChaincodeEvent());
          default -> { }
        }
        if (line != null) {
          context.out().println(line);
          context.out().flush();
          printed++;
        }
      }
      requests.onCompleted();
      return 0;
    }
  }

  private static CliException ended(Status status, PeerClient hub) {
    if (status.isOk()) {
      return CliException.failure("the event hub at " + hub.target() + " ended the stream");
    }
    String desc = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      return CliException.failure("Error trying to connect to the event hub at " + hub.target() + ": " + desc);
    }
    return CliException.failure("the event hub at " + hub.target() + " ended the stream: " + status.getCode() + ": " + desc);
  }

  static String blockLine(long number, Block block) {
    StringBuilder line = new StringBuilder("block ").append(number).append(' ').append(block.getTransactionsCount());
    for (Transaction tx : block.getTransactionsList()) {
      line.append(' ').append(tx.getTxid());
    }
    return line.toString();
  }

  static String rejectionLine(long number, Rejection rejection) {
    return "rejection " + number + " " + rejection.getTx().getTxid() + " " + oneLine(rejection.getErrorMsg());
  }

  static String chaincodeLine(long number, ChaincodeEvent event) {
    return "chaincode " + number + " " + event.getChaincodeID() + " " + event.getEventName() + " " + event.getTxID()
        + " " + payload(event.getPayload().toByteArray());
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ");
  }

  /** The payload as text when it is printable UTF-8 on one line, else {@code base64:...}. */
  static String payload(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      if (text.codePoints().noneMatch(c -> Character.isISOControl(c))) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // below
    }
    return "base64:" + Base64.getEncoder().encodeToString(bytes);
  }
}
