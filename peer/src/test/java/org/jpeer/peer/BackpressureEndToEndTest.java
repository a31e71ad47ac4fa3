package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.grpcSpec;
import static org.jpeer.peer.Examples.invocation;
import static org.jpeer.peer.Examples.path;
import static org.jpeer.peer.Examples.spec;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.Signals;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fills the engine's queue deterministically: the chaincode process is frozen (SIGSTOP) so the
 * executor is stuck on the first invoke; with {@code peer.validator.consensus.buffersize=3} the
 * fourth invoke must be refused. After SIGCONT every accepted invoke must be committed.
 */
class BackpressureEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  private static final String BUSY = "the peer is busy: 3 transactions are already waiting to be ordered "
      + "\\(peer.validator.consensus.buffersize=3\\); transaction " + Golden.INVOKE_TXID.pattern()
      + " was not accepted, retry later";

  @Test
  void fullQueueRefusesAndEveryAcceptedInvokeIsCommitted() {
    LocalPeer peer = kit.peer(kit.env("peer")
        .with("CORE_PEER_VALIDATOR_CONSENSUS_BUFFERSIZE", "3")
        .with("CORE_CHAINCODE_EXECUTETIMEOUT", "120s"));
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    String name = devops.deploy(grpcSpec(path(EXAMPLE02), "init", "a", "100", "b", "200"))
        .getChaincodeSpec().getChaincodeID().getName();
    peer.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);
    // a failed deploy would still give block 1 (empty): make sure the chaincode really runs
    assertThat(committedTxids(chain)).containsExactly(name);

    List<ProcessHandle> chaincode = peer.chaincodeProcesses();
    assertThat(chaincode).as("example02's process").hasSize(1);
    Signals.pause(chaincode.get(0));

    ChaincodeInvocationSpec move = invocation(name, "move", "a", "b", "10");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      accepted.add(devops.invoke(move).getMsg().toStringUtf8());
    }
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> devops.invoke(move))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).matches(BUSY);
          });
    }

    // the same refusal over REST: a JSON-RPC invocation failure naming the cause
    RestClient.Reply rest = peer.rest().rpc("invoke", spec(byName(name), "move", "a", "b", "10"), "7");
    assertThat(rest.status()).isEqualTo(200);
    assertThat(rest.body()).matches("\\{\"jsonrpc\":\"2.0\",\"error\":\\{\"code\":-32002,\"message\":\"Invocation failure\","
        + "\"data\":\"Error when invoking chaincode: " + BUSY + "\"},\"id\":7}\n?");

    Signals.resume(chaincode.get(0));
    peer.await("the accepted invokes to commit", () -> committedTxids(chain).containsAll(accepted));
    assertThat(devops.query(invocation(name, "query", "a")).getMsg().toStringUtf8()).isEqualTo("70");
    // the queue has room again
    String after = devops.invoke(move).getMsg().toStringUtf8();
    peer.await("the last invoke to commit", () -> committedTxids(chain).contains(after));
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
