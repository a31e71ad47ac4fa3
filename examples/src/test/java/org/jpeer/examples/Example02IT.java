package org.jpeer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** example02 deployed from its jar, run as a child process against the real ledger. */
class Example02IT {
  @TempDir Path dir;
  TestPeer peer;

  @BeforeEach
  void start() throws Exception {
    peer = new TestPeer(dir);
  }

  @AfterEach
  void stop() throws Exception {
    peer.close();
  }

  @Test
  void deployInvokeQueryAsTheOriginal() throws Exception {
    String name = peer.deploy("example02", "init", "a", "100", "b", "200");
    assertThat(name).matches("[0-9a-f]{128}");
    assertThat(peer.ledger.transaction(name)).isPresent();
    assertThat(peer.query(name, "query", "a")).isEqualTo("100");

    peer.invoke(name, "invoke", "a", "b", "10");
    assertThat(peer.query(name, "query", "a")).isEqualTo("90");
    assertThat(peer.query(name, "query", "b")).isEqualTo("210");
    assertThat(Files.readString(dir.resolve("chaincode").resolve(name).resolve("chaincode.log")))
        .contains("Aval = 90, Bval = 210");
  }

  @Test
  void errorsAreTheOriginalsAndFailedTransactionsWriteNothing() throws Exception {
    String name = peer.deploy("example02", "init", "a", "100", "b", "200");

    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "b"))
        .isInstanceOf(ChaincodeException.class)
        .hasMessage("Transaction or query returned with failure: "
            + "Incorrect number of arguments. Expecting 3");
    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "b", "ten"))
        .hasMessageEndingWith("Invalid transaction amount, expecting a integer value");
    assertThatThrownBy(() -> peer.invoke(name, "invoke", "a", "nobody", "10"))
        .hasMessageEndingWith("Entity not found");
    assertThatThrownBy(() -> peer.query(name, "query", "nobody"))
        .hasMessageEndingWith("{\"Error\":\"Nil amount for nobody\"}");
    assertThatThrownBy(() -> peer.query(name, "get", "a"))
        .hasMessageEndingWith("Invalid query function name. Expecting \"query\"");
    assertThat(peer.query(name, "query", "a")).isEqualTo("100");

    peer.invoke(name, "delete", "a");
    assertThatThrownBy(() -> peer.query(name, "query", "a"))
        .hasMessageEndingWith("{\"Error\":\"Nil amount for a\"}");
  }

  @Test
  void transactionsOfABatchSeeEarlierOnesAndAFailureInBetweenIsDropped() throws Exception {
    String name = peer.deploy("example02", "init", "a", "100", "b", "200");
    List<TestPeer.Outcome> outcomes = peer.commitBlock(List.of(
        TestPeer.invocation(Transaction.Type.CHAINCODE_INVOKE, name, "invoke", "a", "b", "10"),
        TestPeer.invocation(Transaction.Type.CHAINCODE_INVOKE, name, "invoke", "a", "b"),
        TestPeer.invocation(Transaction.Type.CHAINCODE_INVOKE, name, "invoke", "a", "b", "5")));
    assertThat(outcomes).extracting(o -> o.failure() == null).containsExactly(true, false, true);
    assertThat(peer.query(name, "query", "a")).isEqualTo("85");
    assertThat(peer.query(name, "query", "b")).isEqualTo("215");
  }

  @Test
  void initFailureFailsTheDeployWithTheChaincodesReason() {
    assertThatThrownBy(() -> peer.deploy("example02", "init", "a", "100", "b"))
        .isInstanceOf(ChaincodeException.class)
        .hasMessageContaining("Failed to init chaincode(Incorrect number of arguments. Expecting 4)");
    assertThat(peer.support.registered()).isEmpty();
  }
}
