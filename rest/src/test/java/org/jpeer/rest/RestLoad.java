package org.jpeer.rest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.devops.Devops;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.devops.TransactionEngine;
import org.jpeer.ledger.LedgerOptions;
import org.jpeer.ledger.Ledgers;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.protos.Transaction;

/**
 * A measurement, not a test: how many JSON-RPC queries and invokes per second the REST path
 * (HTTP keep-alive, envelope checks, Devops transaction building) sustains when the engine costs
 * nothing. Usage: {@code RestLoad [connections] [seconds] [port name]}: with a port and a
 * chaincode name it loads a running peer instead (queries of "a" and example02 moves; invokes are
 * counted when accepted, not when committed). Client and server share the machine.
 */
public final class RestLoad {
  /** Accepts everything at once: isolates the REST and Devops cost from consensus and chaincode. */
  private static final class FreeEngine implements TransactionEngine {
    final LongAdder submitted = new LongAdder();

    @Override
    public void submit(Transaction tx) throws EngineBusyException {
      submitted.increment();
    }

    @Override
    public byte[] query(Transaction tx) throws ChaincodeException {
      return "90".getBytes(StandardCharsets.UTF_8);
    }
  }

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    if (args.length > 3) {
      load(Integer.parseInt(args[2]), args[3], connections, seconds);
      return;
    }
    Path dir = Files.createTempDirectory("restload");
    FreeEngine engine = new FreeEngine();
    try (PeerLedger ledger = Ledgers.open(dir.resolve("db"), LedgerOptions.codeDefaults());
        RestServer server = new RestServer(
            RestOptions.of("127.0.0.1", 0, true, dir), new Devops(new StandInChaincode(true), engine), ledger, List::of)) {
      server.start();
      load(server.port(), "mycc", connections, seconds);
      System.out.printf("engine accepted %d invokes%n", engine.submitted.sum());
    }
  }

  private static void load(int port, String name, int connections, int seconds) throws Exception {
      String params = "{\"type\":1,\"chaincodeID\":{\"name\":\"" + name + "\"},\"ctorMsg\":{\"args\":[%s]}}";
      byte[] query = RawHttp.request("POST", "/chaincode",
          "{\"jsonrpc\":\"2.0\",\"method\":\"query\",\"params\":" + params.formatted("\"query\",\"a\"") + ",\"id\":1}");
      byte[] invoke = RawHttp.request("POST", "/chaincode",
          "{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"params\":" + params.formatted("\"invoke\",\"a\",\"b\",\"1\"") + ",\"id\":2}");
      run("warm-up", port, query, connections, Math.max(2, seconds / 3));
      run("query", port, query, connections, seconds);
      run("invoke", port, invoke, connections, seconds);
  }

  private static void run(String name, int port, byte[] request, int connections, int seconds) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder done = new LongAdder();
    LongAdder failed = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread t = new Thread(() -> {
        try (RawHttp client = new RawHttp(port)) {
          while (!stop.get()) {
            RawHttp.Reply reply = client.send(request);
            if (reply.status() == 200 && reply.body().contains("\"result\"")) {
              done.increment();
            } else {
              failed.increment();
            }
          }
        } catch (Exception e) {
          failed.increment();
        }
      });
      t.start();
      threads.add(t);
    }
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long count = done.sum();
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread t : threads) {
      t.join();
    }
    System.out.printf("%-8s %d connections: %.0f requests/s (%d in %.1f s, %d refused or failed)%n",
        name, connections, count / elapsed, count, elapsed, failed.sum());
  }
}
