package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.examples.ExampleJars.jar;

import java.nio.file.Files;
import java.util.List;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** example02 deployed from its jar, run as a child process against the real ledger. */
class Example02IT {
  @RegisterExtension final TestKit kit = new TestKit();
  ChaincodeHarness peer;

  @BeforeEach
  void start() {
    peer = kit.own(ChaincodeHarness.processRuntime(kit.dir()));
  }

  @Test
  void deployInvokeQueryAsTheOriginal() throws Exception {
    String name = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");
    assertThat(name).matches(Golden.CHAINCODE_NAME);
    assertThat(peer.ledger().transaction(name)).isPresent();
    assertThat(peer.query(name, "query", "a")).isEqualTo("100");

    String txid = peer.invoke(name, "invoke", "a", "b", "10");
    assertThat(peer.ledger().transaction(txid)).isPresent();
    assertThat(peer.query(name, "query", "a")).isEqualTo("90");
    assertThat(peer.query(name, "query", "b")).isEqualTo("210");
    assertThat(Files.readString(kit.dir().resolve("chaincode").resolve(name).resolve("chaincode.log")))
        .contains("Aval = 90, Bval = 210");
  }

  @Test
  void errorsAreTheOriginalsAndFailedTransactionsWriteNothing() throws Exception {
    String name = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");

    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "b"))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessage("Transaction or query returned with failure: "
            + "Incorrect number of arguments. Expecting 3");
    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "b", "ten"))
        .hasMessage("Transaction or query returned with failure: Invalid transaction amount, expecting a integer value");
    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "nobody", "10"))
        .hasMessage("Transaction or query returned with failure: Entity not found");
    assertThatThrownBy(() -> peer.query(name, "query", "nobody"))
        .isInstanceOf(ChaincodeException.class)
        .hasMessage("Transaction or query returned with failure: {\"Error\":\"Nil amount for nobody\"}");
    assertThatThrownBy(() -> peer.query(name, "get", "a"))
        .hasMessage("Transaction or query returned with failure: Invalid query function name. Expecting \"query\"");
    assertThat(peer.query(name, "query", "a")).isEqualTo("100");

    peer.invoke(name, "delete", "a");
    assertThatThrownBy(() -> peer.query(name, "query", "a"))
        .hasMessage("Transaction or query returned with failure: {\"Error\":\"Nil amount for a\"}");
  }

  @Test
  void transactionsOfABatchSeeEarlierOnesAndAFailureInBetweenIsDropped() throws Exception {
    String name = peer.deploy(jar("example02"), "init", "a", "100", "b", "200");
    Transaction first = ChaincodeHarness.invokeTx(name, "invoke", "a", "b", "10");
    Transaction bad = ChaincodeHarness.invokeTx(name, "invoke", "a", "b");
    Transaction third = ChaincodeHarness.invokeTx(name, "invoke", "a", "b", "5");
    ChaincodeHarness.BlockOutcome block = peer.commit(List.of(first, bad, third));
    assertThat(block.block().getTransactionsList()).extracting(Transaction::getTxid)
        .containsExactly(first.getTxid(), third.getTxid());
    assertThat(block.rejected()).containsOnlyKeys(bad.getTxid());
    // one event per executed transaction, the failed one's empty, as the original
    assertThat(block.block().getNonHashData().getChaincodeEventsCount()).isEqualTo(3);
    assertThat(peer.ledger().failure(bad.getTxid()).orElseThrow().blockNumber()).isEqualTo(block.number());
    assertThat(peer.query(name, "query", "a")).isEqualTo("85");
    assertThat(peer.query(name, "query", "b")).isEqualTo("215");
  }

  @Test
  void initFailureFailsTheDeployWithTheChaincodesReason() {
    assertThatThrownBy(() -> peer.deploy(jar("example02"), "init", "a", "100", "b"))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessageEndingWith("Failed to init chaincode(Incorrect number of arguments. Expecting 4)");
    assertThat(peer.support().registered()).isEmpty();
  }
}
