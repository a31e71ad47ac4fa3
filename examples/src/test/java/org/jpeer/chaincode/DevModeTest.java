package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeEvent;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dev mode with chaincode written against the real shim, running in this JVM: the user starts the
 * chaincode, the peer launches nothing, deploy and invoke address it by name. Blocks run through the
 * peer's own executor.
 */
class DevModeTest {
  @RegisterExtension final TestKit kit = new TestKit();

  ChaincodeHarness start(Duration executeTimeout) {
    return kit.own(ChaincodeHarness.start(kit.dir(), o -> o.withMode(ChaincodeOptions.Mode.DEV)
        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), executeTimeout)));
  }

  @Test
  void deployInvokeQueryByName() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    peer.deploy("probe", "init", "a", "1");
    assertThat(peer.query("probe", "get", "a")).isEqualTo("1");

    String txid = peer.invoke("probe", "put", "a", "2");
    // a transaction without an event still has its (empty) event in the block, as the original
    assertThat(peer.lastBlock().getTransactions(0).getTxid()).isEqualTo(txid);
    assertThat(peer.lastBlock().getNonHashData().getChaincodeEventsList())
        .containsExactly(ChaincodeEvent.getDefaultInstance());
    assertThat(peer.query("probe", "get", "a")).isEqualTo("2");
    assertThat(peer.ledger().committedState().get("probe", "a")).asString().isEqualTo("2");
  }

  @Test
  void chaincodeExceptionsFailTheTransactionButNotTheChaincode() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    peer.deploy("probe", "init");

    assertThatThrownBy(() -> peer.invoke("probe", "fail", "bad input"))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessage("Transaction or query returned with failure: bad input");
    assertThatThrownBy(() -> peer.invoke("probe", "npe"))
        .hasMessage("Transaction or query returned with failure: Cannot invoke \"Object.toString()\" because \"nothing\" is null");
    assertThatThrownBy(() -> peer.query("probe", "nonsense"))
        .hasMessage("Transaction or query returned with failure: unknown function nonsense");
    assertThatThrownBy(() -> peer.invoke("probe", "putEmpty", "k"))
        .hasMessage("Transaction or query returned with failure: An empty string key or a nil value is not supported");
    String alive = peer.invoke("probe", "put", "still", "alive");
    assertThat(peer.ledger().transaction(alive)).isPresent();
    assertThat(peer.query("probe", "get", "still")).isEqualTo("alive");
  }

  @Test
  void queriesAreReadOnly() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    peer.deploy("probe", "init", "a", "1");
    assertThatThrownBy(() -> peer.query("probe", "put", "a", "2"))
        .hasMessage("Transaction or query returned with failure: Cannot put state in query context");
    assertThatThrownBy(() -> peer.query("probe", "invoke", "probe", "put", "a", "2"))
        .hasMessage("Transaction or query returned with failure: Cannot invoke chaincode in query context");
    assertThat(peer.query("probe", "get", "a")).isEqualTo("1");
  }

  @Test
  void queriesRunAlongsideATransactionOnCommittedState() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    ProbeChaincode cc = new ProbeChaincode();
    peer.runInProcess("probe", cc);
    peer.deploy("probe", "init", "a", "1");

    CompletableFuture<String> invoke = CompletableFuture.supplyAsync(() -> peer.invoke("probe", "putAndBlock", "a", "2"));
    assertThat(cc.blocked.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(peer.query("probe", "get", "a")).isEqualTo("1"); // the write is not committed yet
    cc.release.countDown();
    String txid = invoke.get(30, TimeUnit.SECONDS);
    assertThat(peer.ledger().transaction(txid)).isPresent();
    assertThat(peer.query("probe", "get", "a")).isEqualTo("2");
  }

  @Test
  void concurrentQueriesEachGetTheirOwnAnswer() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    List<String> init = new ArrayList<>(List.of("init"));
    for (int k = 0; k < 8; k++) {
      init.add("k" + k);
      init.add("v" + k);
    }
    peer.deploy("probe", init.toArray(String[]::new));

    // state requests of many txids interleave on the one stream; each must reach its own query
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String key = "k" + i % 8;
        answers.add(callers.submit(() -> peer.query("probe", "get", key)));
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
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    List<String> init = new ArrayList<>(List.of("init"));
    for (int i = 0; i < 230; i++) {
      init.add(String.format("k%03d", i));
      init.add("v" + i);
    }
    peer.deploy("probe", init.toArray(String[]::new));
    String all = peer.query("probe", "range", "k", "");
    assertThat(all.split(";")).hasSize(230);
    assertThat(all).startsWith("k000=v0;k001=v1;").endsWith("k229=v229;");
    assertThat(peer.query("probe", "range", "k010", "k012")).isEqualTo("k010=v10;k011=v11;k012=v12;");
    assertThat(peer.query("probe", "firstOfRange", "k", "")).isEqualTo("k000");
  }

  @Test
  void chaincodeCallsChaincodeInsideTheTransaction() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("caller", new ProbeChaincode());
    peer.runInProcess("callee", new ProbeChaincode());
    peer.deploy("caller", "init");
    peer.deploy("callee", "init", "x", "1");

    peer.invoke("caller", "call", "callee", "put", "x", "2");
    assertThat(peer.query("callee", "get", "x")).isEqualTo("2");
    assertThat(peer.query("caller", "ask", "callee", "get", "x")).isEqualTo("2");
    assertThat(peer.query("caller", "get", "x")).isEqualTo("<none>"); // namespaces stay apart

    assertThatThrownBy(() -> peer.invoke("caller", "call", "callee", "fail", "callee says no"))
        .hasMessageEndingWith("callee says no");
    assertThat(peer.query("callee", "get", "x")).isEqualTo("2");
  }

  @Test
  void theOriginalsDevModeRules() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    assertThatThrownBy(() -> peer.deploy("nobody", "init"))
        .hasMessage("handler not found for chaincode nobody (dev mode: start the chaincode with"
            + " CORE_CHAINCODE_ID_NAME=nobody before deploying or invoking it)");
    assertThat(peer.ledger().failure("nobody")).isPresent();
    assertThatThrownBy(() -> peer.invoke("nobody", "put", "a", "1"))
        .hasMessage("Failed to launch chaincode spec(Could not get deployment transaction for "
            + "nobody - LedgerError - ResourceNotFound: ledger: resource not found)");

    peer.runInProcess("probe", new ProbeChaincode());
    peer.deploy("probe", "init");
    // a re-deploy of a running chaincode is committed but does not run Init again
    Transaction again = peer.deployTx("probe", "init");
    peer.run(again);
    assertThat(peer.ledger().height()).isEqualTo(5);
    assertThat(peer.query("probe", "get", "inits")).isEqualTo("1");
    assertThat(peer.support().launchLocksInUse()).as("no launch lock outlives its launch").isZero();
  }

  @Test
  void aTimedOutTransactionNamesChaincodeAndStepAndTheStuckChaincodeIsStopped() throws Exception {
    ChaincodeHarness peer = start(Duration.ofMillis(500));
    ProbeChaincode cc = new ProbeChaincode();
    CompletableFuture<Boolean> ended = peer.runInProcess("probe", cc);
    peer.deploy("probe", "init");

    assertThatThrownBy(() -> peer.invoke("probe", "putAndBlock", "a", "1"))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessageMatching("chaincode probe: Timeout expired while executing TRANSACTION [0-9a-f-]{36} "
            + "\\(no answer within 500 ms\\)");
    // still busy with the old transaction: the next one stops it (dev mode: the user restarts it)
    assertThatThrownBy(() -> peer.invoke("probe", "put", "a", "2"))
        .hasMessageContaining("chaincode probe cannot take TRANSACTION in state transaction");
    cc.release.countDown();
    assertThat(ended.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(peer.support().registered()).doesNotContain("probe");
    assertThat(peer.ledger().committedState().get("probe", "a")).isNull();
  }

  @Test
  void argumentsReachTheChaincodeAsTheGoShimTakesThem() throws Exception {
    ChaincodeHarness peer = start(Duration.ofSeconds(30));
    peer.runInProcess("probe", new ProbeChaincode());
    peer.deploy("probe", "init");
    assertThat(peer.query("probe", "args", "x", "", "ü")).isEqualTo("args|x||ü");
    Transaction wrongType = ChaincodeHarness.queryTx("probe", "x");
    assertThatThrownBy(() -> peer.run(wrongType))
        .hasMessage("transaction " + wrongType.getTxid() + " of type CHAINCODE_QUERY cannot be executed"
            + " (expected CHAINCODE_DEPLOY or CHAINCODE_INVOKE)");
  }
}
