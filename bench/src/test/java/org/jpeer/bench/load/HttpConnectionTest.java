package org.jpeer.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

  @Test
  void keepsOneConnectionForFixedLengthAndChunkedBodies() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fixed", ex -> {
      byte[] b = ex.getRequestBody().readAllBytes();
      byte[] out = ("{\"echo\":" + new String(b, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(404, 0); // 0 = chunked
      try (OutputStream os = ex.getResponseBody()) {
        os.write("{\"Error\":\"not".getBytes(StandardCharsets.UTF_8));
        os.flush();
        os.write(" found\"}".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.setExecutor(null);
    server.start();
    try (HttpConnection http = new HttpConnection(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))) {
      for (int i = 0; i < 3; i++) {
        HttpConnection.Response r = http.post("/fixed", "[" + i + ",\"x\"]");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.array(Json.object(Json.parse(r.body())).get("echo"))).isEqualTo(List.of((long) i, "x"));
        HttpConnection.Response c = http.get("/chunked");
        assertThat(c.status()).isEqualTo(404);
        assertThat(c.body()).isEqualTo("{\"Error\":\"not found\"}");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void parsesTheBlockShapeTheWatcherReads() {
    Map<String, Object> block = Json.object(Json.parse(
        "{\"transactions\":[{\"type\":2,\"txid\":\"t\\\"1\",\"timestamp\":{\"seconds\":1795479820,\"nanos\":465747489}}],"
            + "\"nonHashData\":{\"localLedgerCommitTimestamp\":{\"seconds\":1795479821,\"nanos\":5},\"chaincodeEvents\":[{}]},"
            + "\"x\":[1.5e3,true,false,null]}"));
    Map<String, Object> tx = Json.object(Json.array(block.get("transactions")).get(0));
    assertThat(tx.get("txid")).isEqualTo("t\"1");
    assertThat(Json.number(Json.object(tx.get("timestamp")).get("nanos"))).isEqualTo(465747489L);
    assertThat(Json.array(block.get("x"))).containsExactly(1500.0, true, false, null);
  }
}
