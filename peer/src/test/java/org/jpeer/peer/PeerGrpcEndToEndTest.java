package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.grpcSpec;
import static org.jpeer.peer.Examples.invocation;
import static org.jpeer.peer.Examples.path;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import org.jpeer.ledger.Blocks;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockNumber;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.protos.PeerGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.Golden;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real peer process and a real example02 chaincode process (local-process runtime), driven over
 * the peer's gRPC services: Devops for deploy/invoke/query, Openchain for the chain.
 */
class PeerGrpcEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void deployInvokeQueryOverGrpcAndTheChainShowsBothTransactions() throws Exception {
    LocalPeer peer = kit.peer();
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    assertThat(chain.getBlockCount(Empty.getDefaultInstance()).getCount()).isEqualTo(1);

    ChaincodeDeploymentSpec deployed = devops.deploy(grpcSpec(path(EXAMPLE02), "init", "a", "100", "b", "200"));
    String name = deployed.getChaincodeSpec().getChaincodeID().getName();
    assertThat(name).matches(Golden.CHAINCODE_NAME);
    ChaincodeID id = ChaincodeID.newBuilder().setName(name).build();

    peer.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);
    Response invoke = devops.invoke(invocation(name, "move", "a", "b", "10"));
    assertThat(invoke.getStatus()).as(invoke.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    String txid = invoke.getMsg().toStringUtf8();
    assertThat(txid).matches(Golden.INVOKE_TXID);
    peer.await("the invoke to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 3);

    Response query = devops.query(invocation(name, "query", "a"));
    assertThat(query.getStatus()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(query.getMsg().toStringUtf8()).isEqualTo("90");

    // Peer.ProcessTransaction (what a non-validating peer forwards): a query answered at once,
    // a transaction of a type that is never ordered refused with the reason
    PeerGrpc.PeerBlockingStub peerService = PeerGrpc.newBlockingStub(peer.channel());
    Transaction forwardedQuery = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_QUERY)
        .setChaincodeID(id.toByteString()).setTxid("forwarded-query")
        .setPayload(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(grpcSpec(id, "query", "b")).build()
            .toByteString())
        .build();
    Response forwarded = peerService.processTransaction(forwardedQuery);
    assertThat(forwarded.getStatus()).as(forwarded.getMsg().toStringUtf8()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(forwarded.getMsg().toStringUtf8()).isEqualTo("210");
    Response terminate = peerService.processTransaction(forwardedQuery.toBuilder()
        .setType(Transaction.Type.CHAINCODE_TERMINATE).setTxid("t").build());
    assertThat(terminate.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
    assertThat(terminate.getMsg().toStringUtf8())
        .isEqualTo("Error:only deploy and invoke transactions are ordered; transaction t is CHAINCODE_TERMINATE");

    Block block1 = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(1).build());
    assertThat(block1.getTransactions(0).getType()).isEqualTo(Transaction.Type.CHAINCODE_DEPLOY);
    assertThat(block1.getTransactions(0).getTxid()).isEqualTo(name);
    assertThat(block1.getPreviousBlockHash().toByteArray()).isEqualTo(Golden.genesisBlockHash());
    Block block2 = chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(2).build());
    assertThat(block2.getTransactions(0).getTxid()).isEqualTo(txid);
    assertThat(block2.getPreviousBlockHash().toByteArray()).isEqualTo(Blocks.hash(block1));
    assertThat(chain.getBlockchainInfo(Empty.getDefaultInstance()).getCurrentBlockHash().toByteArray())
        .isEqualTo(Blocks.hash(block2));
    assertThat(block2.getNonHashData().hasLocalLedgerCommitTimestamp()).isTrue();
    assertThatThrownBy(() -> chain.getBlockByNumber(BlockNumber.newBuilder().setNumber(99).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("block 99 does not exist"));
  }
}
