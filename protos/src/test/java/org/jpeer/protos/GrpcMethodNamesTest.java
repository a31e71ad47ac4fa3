package org.jpeer.protos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gRPC paths are part of the wire: Fabric v0.6 clients and chaincode dial exactly these. */
class GrpcMethodNamesTest {

  @Test
  void fullMethodNamesMatchTheOriginal() {
    assertThat(DevopsGrpc.getLoginMethod().getFullMethodName()).isEqualTo("protos.Devops/Login");
    assertThat(DevopsGrpc.getBuildMethod().getFullMethodName()).isEqualTo("protos.Devops/Build");
    assertThat(DevopsGrpc.getDeployMethod().getFullMethodName()).isEqualTo("protos.Devops/Deploy");
    assertThat(DevopsGrpc.getInvokeMethod().getFullMethodName()).isEqualTo("protos.Devops/Invoke");
    assertThat(DevopsGrpc.getQueryMethod().getFullMethodName()).isEqualTo("protos.Devops/Query");
    assertThat(DevopsGrpc.getEXPGetApplicationTCertMethod().getFullMethodName())
        .isEqualTo("protos.Devops/EXP_GetApplicationTCert");
    assertThat(DevopsGrpc.getEXPExecuteWithBindingMethod().getFullMethodName())
        .isEqualTo("protos.Devops/EXP_ExecuteWithBinding");
    assertThat(ChaincodeSupportGrpc.getRegisterMethod().getFullMethodName())
        .isEqualTo("protos.ChaincodeSupport/Register");
    assertThat(PeerGrpc.getChatMethod().getFullMethodName()).isEqualTo("protos.Peer/Chat");
    assertThat(PeerGrpc.getProcessTransactionMethod().getFullMethodName())
        .isEqualTo("protos.Peer/ProcessTransaction");
    assertThat(EventsGrpc.getChatMethod().getFullMethodName()).isEqualTo("protos.Events/Chat");
    assertThat(AdminGrpc.getGetStatusMethod().getFullMethodName()).isEqualTo("protos.Admin/GetStatus");
    assertThat(AdminGrpc.getStartServerMethod().getFullMethodName()).isEqualTo("protos.Admin/StartServer");
    assertThat(AdminGrpc.getStopServerMethod().getFullMethodName()).isEqualTo("protos.Admin/StopServer");
    assertThat(OpenchainGrpc.getGetBlockchainInfoMethod().getFullMethodName())
        .isEqualTo("protos.Openchain/GetBlockchainInfo");
    assertThat(OpenchainGrpc.getGetBlockByNumberMethod().getFullMethodName())
        .isEqualTo("protos.Openchain/GetBlockByNumber");
    assertThat(OpenchainGrpc.getGetBlockCountMethod().getFullMethodName())
        .isEqualTo("protos.Openchain/GetBlockCount");
    assertThat(OpenchainGrpc.getGetPeersMethod().getFullMethodName()).isEqualTo("protos.Openchain/GetPeers");
  }

  @Test
  void streamingKindsMatchTheOriginal() {
    assertThat(ChaincodeSupportGrpc.getRegisterMethod().getType())
        .isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
    assertThat(PeerGrpc.getChatMethod().getType()).isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
    assertThat(EventsGrpc.getChatMethod().getType()).isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
  }
}
