package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jpeer.protos.OpenchainGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code peer chaincode} and {@code peer network} commands as real processes against a real peer. */
class CliEndToEndTest {

  @TempDir Path workDir;
  private RunningPeer peer;

  @AfterEach
  void stop() throws Exception {
    if (peer != null) {
      peer.close();
    }
  }

  private PeerProcess.Result cli(String... args) throws Exception {
    PeerProcess.Result r = PeerProcess.run(workDir, peer.cliEnv(), args);
    assertThat(r.exitCode()).as("peer %s: %s", String.join(" ", args), r.output()).isZero();
    return r;
  }

  @Test
  void deployInvokeQueryAndNetworkList() throws Exception {
    peer = RunningPeer.start(workDir, Map.of());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());

    PeerProcess.Result deploy = cli("chaincode", "deploy", "-l", "java", "-p", RunningPeer.EXAMPLE02.toString(),
        "-c", "{\"Args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}");
    Matcher m = Pattern.compile("Deploy chaincode: ([0-9a-f]{128})").matcher(deploy.output());
    assertThat(m.find()).as(deploy.output()).isTrue();
    String name = m.group(1);
    peer.process.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);

    cli("chaincode", "invoke", "-l", "java", "-n", name, "-c", "{\"Function\":\"move\",\"Args\":[\"a\",\"b\",\"10\"]}");
    peer.process.await("the invoke to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 3);

    String query = "{\"Args\":[\"query\",\"a\"]}";
    assertThat(cli("chaincode", "query", "-l", "java", "-n", name, "-c", query).output()).contains("Query Result: 90");
    assertThat(cli("chaincode", "query", "-l", "java", "-n", name, "-c", query, "-r").output())
        .contains("Query Result (Raw): 90");
    assertThat(cli("chaincode", "query", "-l", "java", "-n", name, "-c", query, "-x").output()).contains("3930");

    PeerProcess.Result unknownKey = PeerProcess.run(workDir, peer.cliEnv(),
        "chaincode", "query", "-l", "java", "-n", name, "-c", "{\"Args\":[\"query\",\"zz\"]}");
    assertThat(unknownKey.exitCode()).isEqualTo(1);
    assertThat(unknownKey.output()).contains("Error: Error querying chaincode: ").contains("Nil amount for zz");

    // a lone peer has no other peers; the CLI leaves the peer itself out, as the original
    assertThat(cli("network", "list").output()).contains("{\"Peers\":[]}");
  }
}
