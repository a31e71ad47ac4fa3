package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A few thousand generated malformed REST requests and gRPC messages against a real peer process
 * ({@code -Dbadinput.seed=N} reproduces a run): every REST answer is JSON with the usual headers,
 * every gRPC call ends with a status, the log does not grow with the garbage, and afterwards the
 * peer still deploys, invokes and queries.
 */
class BadInputIT {
  @RegisterExtension final TestKit kit = new TestKit();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REST_REQUESTS = 2000;
  private static final int GRPC_MESSAGES = 1000;
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "get", "FOO", "CONNECT");
  private static final List<String> PATHS = List.of("/chaincode", "/chain", "/chain/blocks/1", "/chain/blocks/-1",
      "/chain/blocks/%2F", "/chain/blocks/99999999999999999999", "/transactions/x", "/transactions/%2e%2e",
      "/registrar", "/registrar/%2e%2e", "/registrar/a/ecert", "/network/peers", "/events?types=bogus",
      "/events?from=-1", "/nope", "/%", "/" + "a".repeat(5000));
  private static final List<String> BODIES = List.of("", "{", "}", "[]", "null", "{\"jsonrpc\":\"2.0\"}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"params\":{\"type\":\"x\"},\"id\":1}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"params\":{\"chaincodeID\":{\"name\":\"none\"},\"ctorMsg\":{\"args\":[1]}},\"id\":{}}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"deploy\",\"params\":{\"chaincodeID\":{\"path\":\"/etc/passwd\"}},\"id\":\"a\"}",
      "{\"id\":9223372036854775808}", "\uFEFF{}", "{\"a\":" + "[".repeat(5000));

  @Test
  void malformedRequestsGetWellFormedAnswersAndThePeerStillServes() throws Exception {
    long seed = Long.getLong("badinput.seed", 20261201L);
    Random random = new Random(seed);
    LocalPeer peer = kit.peer();
    int port = peer.restUri().getPort();
    for (int i = 0; i < REST_REQUESTS; i++) {
      byte[] request = restRequest(random);
      Answer a = send(port, request);
      String what = "request " + i + " of seed " + seed + ": " + new String(request, 0, Math.min(120, request.length),
          StandardCharsets.ISO_8859_1);
      assertThat(a.status).as(what).isBetween(200, 599);
      assertThat(a.head).as(what).containsIgnoringCase("Content-Type: application/json")
          .containsIgnoringCase("Access-Control-Allow-Origin: *");
      if (!a.body.isEmpty()) {
        JSON.readTree(a.body); // parses, or the test fails here
      }
    }

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", peer.grpc().port()).usePlaintext().build();
    try {
      List<String> methods = List.of("protos.Devops/Invoke", "protos.Devops/Query", "protos.Devops/Deploy",
          "protos.Openchain/GetBlockByNumber", "protos.Peer/ProcessTransaction", "protos.Admin/GetStatus");
      for (int i = 0; i < GRPC_MESSAGES; i++) {
        byte[] garbage = new byte[1 + random.nextInt(64)];
        random.nextBytes(garbage);
        garbage[0] = (byte) 0xff; // field 31, wire type 7: never a valid message
        String method = methods.get(random.nextInt(methods.size()));
        Status status = call(channel, method, garbage);
        assertThat(status.getCode()).as(method + " with garbage").isNotEqualTo(Status.Code.OK);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    // still serves
    RestClient rest = peer.rest();
    String name = rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1").json()
        .at("/result/message").asText();
    peer.await("the deploy", () -> rest.get("/transactions/" + name).status() == 200);
    String txid = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "10"), "2").json().at("/result/message").asText();
    peer.await("the invoke", () -> rest.get("/transactions/" + txid).status() == 200);
    assertThat(rest.rpc("query", spec(byName(name), "query", "a"), "3").json().at("/result/message").asText())
        .isEqualTo("90");

    String log = peer.output();
    assertThat(log).doesNotContain("SEVERE");
    assertThat(log.lines().filter(l -> l.contains("gRPC request refused")).count())
        .as("malformed gRPC messages are logged at most every 10 s").isLessThanOrEqualTo(30);
    assertThat(log.lines().count()).as("the log does not grow with the garbage").isLessThan(400);
  }

  private static byte[] restRequest(Random random) {
    String method = METHODS.get(random.nextInt(METHODS.size()));
    String path = PATHS.get(random.nextInt(PATHS.size()));
    byte[] body;
    int kind = random.nextInt(4);
    if (kind == 0) {
      body = new byte[random.nextInt(200)];
      random.nextBytes(body);
    } else if (kind == 1) {
      body = BODIES.get(random.nextInt(BODIES.size())).getBytes(StandardCharsets.UTF_8);
    } else if (kind == 2) {
      body = BODIES.get(random.nextInt(BODIES.size())).getBytes(StandardCharsets.UTF_16LE);
    } else {
      String b = BODIES.get(random.nextInt(BODIES.size()));
      body = b.substring(0, random.nextInt(b.length() + 1)).getBytes(StandardCharsets.UTF_8);
    }
    String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + (random.nextBoolean() ? "Content-Type: application/json\r\n" : "")
        + "Content-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  private record Answer(int status, String head, String body) {}

  private static Answer send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.setSoTimeout(30_000);
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      byte[] all = s.getInputStream().readAllBytes(); // Connection: close
      String text = new String(all, StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("a complete answer to " + new String(request, 0, Math.min(80, request.length),
          StandardCharsets.ISO_8859_1)).isPositive();
      return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.transferTo(out);
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private static Status call(ManagedChannel channel, String method, byte[] request) {
    MethodDescriptor<byte[], byte[]> m = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
        .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
    try {
      ClientCalls.blockingUnaryCall(channel, m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }
}
