package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import io.grpc.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jpeer.ledger.Blocks;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.Event;
import org.jpeer.protos.EventType;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.EventConsumer;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event hub of a real peer process with real chaincode: gRPC consumers as the original's Go
 * consumer behaves, a Server-Sent Events client as {@code curl -N} reads, and {@code peer events listen}.
 */
class EventsEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static final Path EVENTSENDER = EXAMPLE02.resolveSibling("eventsender.jar");
  private static final Path MAP = EXAMPLE02.resolveSibling("map.jar");

  private static String txid(RestClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/result/message").asText();
  }

  private static Block nextBlock(EventConsumer consumer) {
    Event e = consumer.next();
    assertThat(e.getEventCase()).isEqualTo(Event.EventCase.BLOCK);
    return e.getBlock();
  }

  /** A {@code curl -N} style reader of an SSE stream: its lines as they come. */
  private static final class SseReader implements AutoCloseable {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final HttpResponse<java.io.InputStream> response;
    private final Thread reader;

    SseReader(URI uri) throws Exception {
      response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
          }
        } catch (java.io.IOException e) {
          // closed by the test
        }
      }, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next {@code event:} and {@code id:} of the stream, as {@code "<kind> <id>"}, with its data. */
    String[] nextEvent() throws InterruptedException {
      String id = null;
      String kind = null;
      while (true) {
        String line = lines.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("an SSE line").isNotNull();
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          kind = line.substring(7);
        } else if (line.startsWith("data: ")) {
          return new String[] {kind + " " + id, line.substring(6)};
        }
      }
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }

  @Test
  void everyKindOfEventArrivesInCommitOrderOverGrpcServerSentEventsAndTheCli() throws Exception {
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    EventConsumer all = kit.own(EventConsumer.connect(peer.events()));
    all.register(EventConsumer.interest(EventType.BLOCK), EventConsumer.interest(EventType.REJECTION));
    SseReader sse = kit.own(new SseReader(URI.create(peer.restUri() + "/events?types=block,rejection")));
    assertThat(sse.response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");

    String example02 = txid(rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1"));
    Block one = nextBlock(all);
    assertThat(one.getTransactions(0).getTxid()).isEqualTo(example02);
    assertThat(ChaincodeDeploymentSpec.parseFrom(one.getTransactions(0).getPayload()).getCodePackage().isEmpty())
        .as("the deploy's code package is left out, as the original does").isTrue();

    String move = txid(rest.rpc("invoke", spec(byName(example02), "move", "a", "b", "10"), "2"));
    assertThat(nextBlock(all).getTransactions(0).getTxid()).isEqualTo(move);

    String bad = txid(rest.rpc("invoke", spec(byName(example02), "move", "a"), "3"));
    Event rejection = all.next();
    assertThat(rejection.getRejection().getTx().getTxid()).isEqualTo(bad);
    assertThat(rejection.getRejection().getErrorMsg()).contains("Incorrect number of arguments. Expecting 3");
    assertThat(nextBlock(all).getTransactionsCount()).as("the failed invoke is not in its block").isZero();

    String sender = txid(rest.rpc("deploy", spec(byPath(EVENTSENDER), "init"), "4"));
    assertThat(nextBlock(all).getTransactions(0).getTxid()).isEqualTo(sender);
    all.register(EventConsumer.chaincode(sender, "evtsender"));
    String emit = txid(rest.rpc("invoke", spec(byName(sender), "invoke", "hello"), "5"));
    assertThat(nextBlock(all).getTransactions(0).getTxid()).isEqualTo(emit);
    Event chaincodeEvent = all.next();
    assertThat(chaincodeEvent.getChaincodeEvent().getChaincodeID()).isEqualTo(sender);
    assertThat(chaincodeEvent.getChaincodeEvent().getEventName()).isEqualTo("evtsender");
    assertThat(chaincodeEvent.getChaincodeEvent().getTxID()).isEqualTo(emit);
    assertThat(chaincodeEvent.getChaincodeEvent().getPayload().toStringUtf8()).isEqualTo("Event 0,invoke,hello");

    // the live SSE stream saw the same, rendered as the REST block JSON
    assertThat(sse.nextEvent()[0]).isEqualTo("block 1.0");
    String[] second = sse.nextEvent();
    assertThat(second[0]).isEqualTo("block 2.0");
    assertThat(second[1]).contains("\"txid\":\"" + move + "\"");
    String[] third = sse.nextEvent();
    assertThat(third[0]).isEqualTo("rejection 3.0");
    assertThat(third[1]).contains("\"errorMsg\":\"").contains(bad);
    assertThat(sse.nextEvent()[0]).isEqualTo("block 3.1");

    // replay over SSE, with the chaincode's events
    try (SseReader replay = new SseReader(URI.create(peer.restUri() + "/events?from=4&types=block,chaincode&chaincodeID="
        + sender))) {
      assertThat(replay.nextEvent()[0]).isEqualTo("block 4.0");
      assertThat(replay.nextEvent()[0]).isEqualTo("block 5.0");
      String[] event = replay.nextEvent();
      assertThat(event[0]).isEqualTo("chaincode 5.1");
      assertThat(event[1]).contains("\"eventName\":\"evtsender\"").contains("\"txID\":\"" + emit + "\"");
    }

    ChildProcess.Result cli = peer.cli("events", "listen", "--from", "1", "--count", "7", "--chaincode", sender);
    assertThat(cli.exitCode()).as(cli.describe()).isZero();
    assertThat(cli.stdout().lines()).containsExactly(
        "block 1 1 " + example02,
        "block 2 1 " + move,
        "rejection 3 " + bad + " " + rejection.getRejection().getErrorMsg().replaceAll("\\s*\\R\\s*", " "),
        "block 3 0",
        "block 4 1 " + sender,
        "block 5 1 " + emit,
        "chaincode 5 " + sender + " evtsender " + emit + " Event 0,invoke,hello");
  }

  @Test
  void replayFromBlockZeroAfterAThousandInvokesAndARestartGivesEveryBlockOnceThenLiveOnes() throws Exception {
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    String name = txid(rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100000", "b", "200"), "1"));
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);
    Set<String> invoked = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      invoked.add(txid(rest.rpc("invoke", spec(byName(name), "move", "a", "b", "1"), Integer.toString(i))));
    }
    String lastTxid = txid(rest.rpc("invoke", spec(byName(name), "move", "a", "b", "1"), "\"last\""));
    invoked.add(lastTxid);
    peer.await("every invoke committed", () -> rest.get("/transactions/" + lastTxid).status() == 200);
    long height = rest.height();
    peer.stop();
    peer.restart();

    try (EventConsumer replay = EventConsumer.from(peer.events(), 0)) {
      replay.register(EventConsumer.interest(EventType.BLOCK));
      OpenchainGrpc.OpenchainBlockingStub openchain = OpenchainGrpc.newBlockingStub(peer.channel());
      List<Block> blocks = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (long n = 0; n < height; n++) {
        Block b = nextBlock(replay);
        assertThat(b).as("block " + n + " as the ledger has it (deploys without their code)").isEqualTo(
            Blocks.withoutCodePackages(openchain.getBlockByNumber(BlockNumber.newBuilder().setNumber(n).build())));
        blocks.add(b);
        for (Transaction tx : b.getTransactionsList()) {
          assertThat(seen.add(tx.getTxid())).as("each transaction once: " + tx.getTxid()).isTrue();
        }
      }
      assertThat(seen).containsAll(invoked).contains(name).hasSize(1002);
      String live = txid(rest.rpc("invoke", spec(byName(name), "move", "a", "b", "1"), "\"live\""));
      Block next = nextBlock(replay);
      assertThat(next.getPreviousBlockHash().toByteArray()).as("the live block follows the last replayed one")
          .isEqualTo(Blocks.hash(blocks.get(blocks.size() - 1)));
      assertThat(next.getTransactions(0).getTxid()).isEqualTo(live);
      assertThat(replay.idle()).isTrue();
    }
  }

  @Test
  void aConsumerThatStopsReadingIsDisconnectedWhileAnotherKeepsUpAndCommitsGoOn() throws Exception {
    LocalPeer peer = kit.peer(kit.env("peer").with("CORE_PEER_VALIDATOR_EVENTS_BUFFERSIZE", "5")
        .with("CORE_PEER_VALIDATOR_EVENTS_TIMEOUT", "-1"));
    RestClient rest = peer.rest();
    String name = txid(rest.rpc("deploy", spec(byPath(MAP), "init"), "1"));
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);
    EventConsumer stuck = kit.own(EventConsumer.withWindow(peer.events(), 65_536));
    stuck.register(EventConsumer.interest(EventType.BLOCK));
    stuck.stopReading();
    EventConsumer reading = kit.own(EventConsumer.connect(peer.events()));
    reading.register(EventConsumer.interest(EventType.BLOCK));

    char[] filler = new char[16 * 1024];
    Arrays.fill(filler, 'x');
    String value = new String(filler);
    // 16 KiB blocks: the stuck consumer's 64 KiB window and the peer's send buffer fill within a few
    // blocks, then it is 5 blocks behind; 60 blocks are far more than that takes
    for (int i = 0; i < 60; i++) {
      String txid = txid(rest.rpc("invoke", spec(byName(name), "put", "k" + i, value), Integer.toString(i)));
      assertThat(nextBlock(reading).getTransactions(0).getTxid()).as("the reading consumer keeps up").isEqualTo(txid);
    }
    stuck.readAll();
    Status status = stuck.end();
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).startsWith("the consumer fell more than 5 blocks behind (peer.validator.events.buffersize)");
    assertThat(rest.height()).isEqualTo(62);
  }
}
