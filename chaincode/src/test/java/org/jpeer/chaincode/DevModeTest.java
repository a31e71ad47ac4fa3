package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.Transaction;
import org.jpeer.shim.Shim;
import org.jpeer.shim.ShimOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode with chaincode written against the real shim, running in this JVM: the user starts the
 * chaincode, the peer launches nothing, deploy and invoke address it by name.
 */
class DevModeTest {
  @TempDir Path dir;
  TestNetwork net;
  final List<CompletableFuture<Boolean>> chaincodes = new ArrayList<>();

  void start(Duration executeTimeout) throws Exception {
    net = new TestNetwork(dir, o -> o.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
        executeTimeout));
  }

  CompletableFuture<Boolean> run(String name, ProbeChaincode cc) {
    CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
      try {
        return Shim.run(cc, new ShimOptions(net.address, name, false, null, null));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    chaincodes.add(ended);
    Await.until(name + " registered", Duration.ofSeconds(30),
        () -> net.support.registered().contains(name) || ended.isDone());
    return ended;
  }

  @AfterEach
  void stop() throws Exception {
    net.close();
    for (CompletableFuture<Boolean> cc : chaincodes) {
      cc.get(30, TimeUnit.SECONDS); // every chaincode ends once the peer closes its stream
    }
  }

  @Test
  void deployInvokeQueryByName() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    net.execute(net.deployTx("probe", "init", "a", "1"));
    assertThat(net.query("probe", "get", "a")).isEqualTo("1");

    ExecutionResult r = net.invoke("probe", "put", "a", "2");
    assertThat(new String(r.result(), StandardCharsets.UTF_8)).isEqualTo("done put");
    assertThat(r.event()).isNull();
    assertThat(net.query("probe", "get", "a")).isEqualTo("2");
    assertThat(net.ledger.committedState().get("probe", "a")).asString().isEqualTo("2");
  }

  @Test
  void chaincodeExceptionsFailTheTransactionButNotTheChaincode() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    net.execute(net.deployTx("probe", "init"));

    assertThatThrownBy(() -> net.invoke("probe", "fail", "bad input"))
        .isInstanceOf(ChaincodeException.class)
        .hasMessage("Transaction or query returned with failure: bad input");
    assertThatThrownBy(() -> net.invoke("probe", "npe"))
        .hasMessageStartingWith("Transaction or query returned with failure: ");
    assertThatThrownBy(() -> net.query("probe", "nonsense"))
        .hasMessage("Transaction or query returned with failure: unknown function nonsense");
    assertThatThrownBy(() -> net.invoke("probe", "putEmpty", "k"))
        .hasMessageEndingWith("An empty string key or a nil value is not supported");
    assertThat(net.invoke("probe", "put", "still", "alive").result()).asString()
        .isEqualTo("done put");
  }

  @Test
  void queriesAreReadOnly() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    net.execute(net.deployTx("probe", "init", "a", "1"));
    assertThatThrownBy(() -> net.query("probe", "put", "a", "2"))
        .hasMessageEndingWith("Cannot put state in query context");
    assertThatThrownBy(() -> net.query("probe", "invoke", "probe", "put", "a", "2"))
        .hasMessageEndingWith("Cannot invoke chaincode in query context");
    assertThat(net.query("probe", "get", "a")).isEqualTo("1");
  }

  @Test
  void queriesRunAlongsideATransactionOnCommittedState() throws Exception {
    start(Duration.ofSeconds(30));
    ProbeChaincode cc = new ProbeChaincode();
    run("probe", cc);
    net.execute(net.deployTx("probe", "init", "a", "1"));

    CompletableFuture<ExecutionResult> invoke = CompletableFuture.supplyAsync(() -> {
      try {
        return net.invoke("probe", "putAndBlock", "a", "2");
      } catch (ChaincodeException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(cc.blocked.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(net.query("probe", "get", "a")).isEqualTo("1"); // the write is not committed yet
    cc.release.countDown();
    assertThat(invoke.get(30, TimeUnit.SECONDS).result()).asString().isEqualTo("done putAndBlock");
    assertThat(net.query("probe", "get", "a")).isEqualTo("2");
  }

  @Test
  void concurrentQueriesEachGetTheirOwnAnswer() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    List<String> init = new ArrayList<>(List.of("init"));
    for (int k = 0; k < 8; k++) {
      init.add("k" + k);
      init.add("v" + k);
    }
    net.execute(net.deployTx("probe", init.toArray(String[]::new)));

    // state requests of many txids interleave on the one stream; each must reach its own query
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String key = "k" + i % 8;
        answers.add(callers.submit(() -> net.query("probe", "get", key)));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("v" + i % 8);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void rangeQueriesPageThroughAndCanBeClosedEarly() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    List<String> init = new ArrayList<>(List.of("init"));
    for (int i = 0; i < 230; i++) {
      init.add(String.format("k%03d", i));
      init.add("v" + i);
    }
    net.execute(net.deployTx("probe", init.toArray(String[]::new)));
    String all = net.query("probe", "range", "k", "");
    assertThat(all.split(";")).hasSize(230);
    assertThat(all).startsWith("k000=v0;k001=v1;").endsWith("k229=v229;");
    assertThat(net.query("probe", "range", "k010", "k012")).isEqualTo("k010=v10;k011=v11;k012=v12;");
    assertThat(net.query("probe", "firstOfRange", "k", "")).isEqualTo("k000");
  }

  @Test
  void chaincodeCallsChaincodeInsideTheTransaction() throws Exception {
    start(Duration.ofSeconds(30));
    run("caller", new ProbeChaincode());
    run("callee", new ProbeChaincode());
    net.execute(net.deployTx("caller", "init"));
    net.execute(net.deployTx("callee", "init", "x", "1"));

    assertThat(net.invoke("caller", "call", "callee", "put", "x", "2").result()).asString()
        .isEqualTo("done put");
    assertThat(net.query("callee", "get", "x")).isEqualTo("2");
    assertThat(net.query("caller", "ask", "callee", "get", "x")).isEqualTo("2");
    assertThat(net.query("caller", "get", "x")).isEqualTo("<none>"); // namespaces stay apart

    assertThatThrownBy(() -> net.invoke("caller", "call", "callee", "fail", "callee says no"))
        .hasMessageEndingWith("callee says no");
  }

  @Test
  void theOriginalsDevModeRules() throws Exception {
    start(Duration.ofSeconds(30));
    assertThatThrownBy(() -> net.execute(net.deployTx("nobody", "init")))
        .hasMessageStartingWith("handler not found for chaincode nobody");
    assertThatThrownBy(() -> net.invoke("nobody", "put", "a", "1"))
        .hasMessage("Failed to launch chaincode spec(Could not get deployment transaction for "
            + "nobody - LedgerError - ResourceNotFound: ledger: resource not found)");

    run("probe", new ProbeChaincode());
    net.execute(net.deployTx("probe", "init"));
    // a re-deploy of a running chaincode is committed but does not run Init again
    net.execute(net.deployTx("probe", "init"));
    assertThat(net.query("probe", "get", "inits")).isEqualTo("1");
  }

  @Test
  void aTimedOutTransactionNamesChaincodeAndStepAndTheStuckChaincodeIsStopped() throws Exception {
    start(Duration.ofMillis(500));
    ProbeChaincode cc = new ProbeChaincode();
    CompletableFuture<Boolean> ended = run("probe", cc);
    net.execute(net.deployTx("probe", "init"));

    assertThatThrownBy(() -> net.invoke("probe", "putAndBlock", "a", "1"))
        .isInstanceOf(ChaincodeException.class)
        .hasMessageContaining("chaincode probe: Timeout expired while executing TRANSACTION")
        .hasMessageContaining("no answer within 500 ms");
    // still busy with the old transaction: the next one stops it (dev mode: the user restarts it)
    assertThatThrownBy(() -> net.invoke("probe", "put", "a", "2"))
        .hasMessageContaining("chaincode probe cannot take TRANSACTION in state transaction");
    cc.release.countDown();
    assertThat(ended.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(net.support.registered()).doesNotContain("probe");
    assertThat(net.ledger.committedState().get("probe", "a")).isNull();
  }

  @Test
  void argumentsReachTheChaincodeAsTheGoShimTakesThem() throws Exception {
    start(Duration.ofSeconds(30));
    run("probe", new ProbeChaincode());
    net.execute(net.deployTx("probe", "init"));
    assertThat(net.query("probe", "args", "x", "", "ü")).isEqualTo("args|x||ü");
    Transaction wrongType = TestNetwork.invocation(Transaction.Type.CHAINCODE_QUERY, "probe", "x");
    assertThatThrownBy(() -> net.execute(wrongType))
        .hasMessageContaining("of type CHAINCODE_QUERY cannot be executed");
  }
}
