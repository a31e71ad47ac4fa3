package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fills the engine's queue deterministically: the chaincode process is frozen (SIGSTOP) so the
 * executor is stuck on the first invoke; with {@code peer.validator.consensus.buffersize=3} the
 * fourth invoke must be refused. After SIGCONT every accepted invoke must be committed.
 */
class BackpressureEndToEndTest {

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
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static ChaincodeSpec spec(ChaincodeID id, String... args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (String a : args) {
      input.addArgs(ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA).setChaincodeID(id).setCtorMsg(input).build();
  }

  @Test
  void fullQueueRefusesAndEveryAcceptedInvokeIsCommitted() throws Exception {
    peer = RunningPeer.start(workDir, Map.of(
        "CORE_PEER_VALIDATOR_CONSENSUS_BUFFERSIZE", "3",
        "CORE_CHAINCODE_EXECUTETIMEOUT", "120s"));
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    String name = devops.deploy(spec(ChaincodeID.newBuilder().setPath(RunningPeer.EXAMPLE02.toString()).build(),
        "init", "a", "100", "b", "200")).getChaincodeSpec().getChaincodeID().getName();
    ChaincodeID id = ChaincodeID.newBuilder().setName(name).build();
    peer.process.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);
    // a deploy that failed would still give block 1 (empty): make sure the chaincode really runs
    assertThat(committedTxids(chain)).as(peer.output()).contains(name);

    List<ProcessHandle> chaincode = peer.process.process().descendants().toList();
    assertThat(chaincode).as("the chaincode child process").isNotEmpty();
    for (ProcessHandle p : chaincode) {
      signal("STOP", p);
      frozen.add(p);
    }

    ChaincodeInvocationSpec move = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "move", "a", "b", "10")).build();
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      accepted.add(devops.invoke(move).getMsg().toStringUtf8());
    }
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> devops.invoke(move))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription())
                .contains("peer.validator.consensus.buffersize=3").contains("retry later");
          });
    }

    // the same refusal over REST: a JSON-RPC invocation failure naming the cause
    String body = "{\"jsonrpc\":\"2.0\",\"method\":\"invoke\",\"params\":{\"type\":4,\"chaincodeID\":{\"name\":\""
        + name + "\"},\"ctorMsg\":{\"args\":[\"move\",\"a\",\"b\",\"10\"]}},\"id\":7}";
    java.net.http.HttpResponse<String> rest = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(peer.rest().resolve("/chaincode"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(rest.body()).contains("\"code\":-32002").contains("the peer is busy")
        .contains("peer.validator.consensus.buffersize=3").contains("\"id\":7");

    for (ProcessHandle p : chaincode) {
      signal("CONT", p);
    }
    frozen.clear();
    peer.process.await("the accepted invokes to commit", () -> committedTxids(chain).containsAll(accepted));
    assertThat(devops.query(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "query", "a")).build())
        .getMsg().toStringUtf8()).isEqualTo("70");
    // the queue has room again
    String after = devops.invoke(move).getMsg().toStringUtf8();
    peer.process.await("the last invoke to commit", () -> committedTxids(chain).contains(after));
  }

  private static Set<String> committedTxids(OpenchainGrpc.OpenchainBlockingStub chain) {
    Set<String> ids = new HashSet<>();
    long height = chain.getBlockCount(Empty.getDefaultInstance()).getCount();
    for (long n = 1; n < height; n++) {
      Block b = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(n).build());
      b.getTransactionsList().stream().map(Transaction::getTxid).forEach(ids::add);
    }
    return ids;
  }
}
