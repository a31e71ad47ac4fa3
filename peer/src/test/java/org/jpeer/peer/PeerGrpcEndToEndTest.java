package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInput;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real peer process and a real example02 chaincode process (local-process runtime), driven over
 * the peer's gRPC services: Devops for deploy/invoke/query, Openchain for the chain.
 */
class PeerGrpcEndToEndTest {

  @TempDir Path workDir;
  private RunningPeer peer;

  @AfterEach
  void stop() throws Exception {
    if (peer != null) {
      peer.close();
    }
  }

  private static ChaincodeSpec spec(ChaincodeID id, String... args) {
    ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
    for (String a : args) {
      input.addArgs(com.google.protobuf.ByteString.copyFromUtf8(a));
    }
    return ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA).setChaincodeID(id).setCtorMsg(input).build();
  }

  @Test
  void deployInvokeQueryOverGrpcAndTheChainShowsBothTransactions() throws Exception {
    peer = RunningPeer.start(workDir, Map.of());
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    assertThat(chain.getBlockCount(Empty.getDefaultInstance()).getCount()).isEqualTo(1);

    ChaincodeDeploymentSpec deployed = devops.deploy(spec(
        ChaincodeID.newBuilder().setPath(RunningPeer.EXAMPLE02.toString()).build(), "init", "a", "100", "b", "200"));
    String name = deployed.getChaincodeSpec().getChaincodeID().getName();
    assertThat(name).matches("[0-9a-f]{128}");
    ChaincodeID id = ChaincodeID.newBuilder().setName(name).build();

    peer.process.await("the deploy to commit",
        () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);
    Response invoke = devops.invoke(ChaincodeInvocationSpec.newBuilder()
        .setChaincodeSpec(spec(id, "move", "a", "b", "10")).build());
    assertThat(invoke.getStatus()).as(invoke.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    String txid = invoke.getMsg().toStringUtf8();
    peer.process.await("the invoke to commit",
        () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 3);

    Response query = devops.query(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "query", "a")).build());
    assertThat(query.getStatus()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(query.getMsg().toStringUtf8()).isEqualTo("90");

    // Peer.ProcessTransaction (what a non-validating peer forwards): a query answered at once,
    // a transaction of a type that is never ordered refused with the reason
    PeerGrpc.PeerBlockingStub peerService = PeerGrpc.newBlockingStub(peer.channel());
    Transaction forwardedQuery = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_QUERY)
        .setChaincodeID(id.toByteString()).setTxid("forwarded-query")
        .setPayload(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec(id, "query", "b")).build().toByteString())
        .build();
    Response forwarded = peerService.processTransaction(forwardedQuery);
    assertThat(forwarded.getStatus()).as(forwarded.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(forwarded.getMsg().toStringUtf8()).isEqualTo("210");
    Response terminate = peerService.processTransaction(forwardedQuery.toBuilder()
        .setType(Transaction.Type.CHAINCODE_TERMINATE).setTxid("t").build());
    assertThat(terminate.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(terminate.getMsg().toStringUtf8()).contains("only deploy and invoke transactions are ordered");

    var block1 = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(1).build());
    assertThat(block1.getTransactions(0).getType()).isEqualTo(Transaction.Type.CHAINCODE_DEPLOY);
    var block2 = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(2).build());
    assertThat(block2.getTransactions(0).getTxid()).isEqualTo(txid);
    assertThat(block2.getPreviousBlockHash()).isNotEmpty();
    assertThat(block2.getNonHashData().hasLocalLedgerCommitTimestamp()).isTrue();
    try {
      chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(99).build());
      throw new AssertionError("block 99 should not exist");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).contains("block 99 does not exist");
    }
  }
}
