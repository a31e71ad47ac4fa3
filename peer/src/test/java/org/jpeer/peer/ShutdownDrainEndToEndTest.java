package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invokes accepted but not yet executed when the peer is told to stop (SIGTERM) are executed and
 * committed before it exits: after a restart on the same ledger each of them is a committed
 * transaction (GET /transactions/{id} → 200), none is unknown.
 */
class ShutdownDrainEndToEndTest {

  @TempDir Path workDir;
  private RunningPeer peer;
  private final List<ProcessHandle> frozen = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ProcessHandle p : frozen) {
      signal("CONT", p);
    }
    if (peer != null) {
      peer.close();
    }
  }

  private static void signal(String sig, ProcessHandle p) throws Exception {
    new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
  }

  private static ChaincodeSpec spec(ChaincodeID id, String... args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (String a : args) {
      input.addArgs(ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA).setChaincodeID(id).setCtorMsg(input).build();
  }

  @Test
  void acceptedInvokesAreCommittedOnShutdown() throws Exception {
    peer = RunningPeer.start(workDir, Map.of("CORE_CHAINCODE_EXECUTETIMEOUT", "120s"));
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    String name = devops.deploy(spec(ChaincodeID.newBuilder().setPath(RunningPeer.EXAMPLE02.toString()).build(),
        "init", "a", "100", "b", "200")).getChaincodeSpec().getChaincodeID().getName();
    ChaincodeID id = ChaincodeID.newBuilder().setName(name).build();
    peer.process.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);

    // Freeze the chaincode so that the invokes are still queued or executing when the stop comes.
    List<ProcessHandle> chaincode = peer.process.process().descendants().toList();
    assertThat(chaincode).isNotEmpty();
    for (ProcessHandle p : chaincode) {
      signal("STOP", p);
      frozen.add(p);
    }
    ChaincodeInvocationSpec move = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "move", "a", "b", "10")).build();
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(devops.invoke(move).getMsg().toStringUtf8());
    }
    assertThat(chain.getBlockCount(Empty.getDefaultInstance()).getCount()).isEqualTo(2);

    peer.process.process().destroy(); // SIGTERM: the shutdown hook stops the peer cleanly
    peer.process.await("the stop to begin", () -> peer.output().contains("Stopping peer"));
    for (ProcessHandle p : chaincode) {
      signal("CONT", p);
    }
    frozen.clear();
    peer.process.awaitExit();
    assertThat(peer.output()).contains("noops consenter stopped").contains("Peer stopped");
    peer.close();

    peer = RunningPeer.start(workDir, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    for (String txid : accepted) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(peer.rest().resolve("/transactions/" + txid)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("transaction %s after the restart: %s", txid, r.body()).isEqualTo(200);
    }
  }
}
