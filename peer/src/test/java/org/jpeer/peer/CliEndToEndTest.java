package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;

import com.google.protobuf.Empty;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code peer chaincode} and {@code peer network} commands as real processes against a real peer. */
class CliEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  /** Runs a command that must succeed and print exactly {@code stdout} and nothing on stderr. */
  private static void cli(LocalPeer peer, String stdout, String... args) {
    ChildProcess.Result r = peer.cli(args);
    assertThat(r.exitCode()).as("peer %s: %s", String.join(" ", args), r.describe()).isZero();
    assertThat(r.stdout()).as(r.describe()).isEqualTo(stdout);
    assertThat(r.stderr()).as(r.describe()).isEmpty();
  }

  @Test
  void deployInvokeQueryAndNetworkList() {
    LocalPeer peer = kit.peer();
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());

    ChildProcess.Result deploy = peer.cli("chaincode", "deploy", "-l", "java", "-p", EXAMPLE02.toString(),
        "-c", "{\"Args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}");
    assertThat(deploy.exitCode()).as(deploy.describe()).isZero();
    peer.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);
    // the name the CLI printed is the one the peer committed
    String name = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(1).build()).getTransactions(0).getTxid();
    assertThat(name).matches(Golden.CHAINCODE_NAME);
    assertThat(deploy.stdout()).isEqualTo("Deploy chaincode: " + name + "\n");
    assertThat(deploy.stderr()).isEmpty();

    cli(peer, "", "chaincode", "invoke", "-l", "java", "-n", name, "-c",
        "{\"Function\":\"move\",\"Args\":[\"a\",\"b\",\"10\"]}");
    peer.await("the invoke to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 3);

    String query = "{\"Args\":[\"query\",\"a\"]}";
    cli(peer, "Query Result: 90\n", "chaincode", "query", "-l", "java", "-n", name, "-c", query);
    cli(peer, "Query Result (Raw): 90", "chaincode", "query", "-l", "java", "-n", name, "-c", query, "-r");
    cli(peer, "3930\n", "chaincode", "query", "-l", "java", "-n", name, "-c", query, "-x");

    ChildProcess.Result unknownKey = peer.cli("chaincode", "query", "-l", "java", "-n", name, "-c",
        "{\"Args\":[\"query\",\"zz\"]}");
    assertThat(unknownKey.exitCode()).as(unknownKey.describe()).isEqualTo(1);
    assertThat(unknownKey.stdout()).isEmpty();
    assertThat(unknownKey.stderr()).isEqualTo("Error: Error querying chaincode: rpc error: code = 2 desc = "
        + "Error:Transaction or query returned with failure: {\"Error\":\"Nil amount for zz\"}\n");

    // a lone peer has no other peers; the CLI leaves the peer itself out, as the original
    cli(peer, "{\"Peers\":[]}\n", "network", "list");
  }
}
