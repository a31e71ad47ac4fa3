package org.jpeer.devops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.jpeer.chaincode.ChaincodeException;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.ExecuteWithBinding;
import org.jpeer.protos.Response;
import org.jpeer.protos.Secret;
import org.jpeer.protos.SigmaInput;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Devops gRPC service on a real loopback gRPC server. */
class DevopsGrpcServiceTest {
  private final RecordingEngine engine = new RecordingEngine();
  private Server server;
  private ManagedChannel channel;
  private DevopsGrpc.DevopsBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    Devops devops = new Devops(new DevModeChaincode(), engine);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new DevopsGrpcService(devops))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    stub = DevopsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void deployReturnsTheDeploymentSpecAndSubmitsTheTransaction() {
    ChaincodeDeploymentSpec cds = stub.deploy(DevopsTest.spec("mycc", "init", "a", "100", "b", "200"));

    assertThat(cds.getChaincodeSpec().getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(engine.submitted).extracting(Transaction::getTxid).containsExactly("mycc");
  }

  @Test
  void deployFailureIsAGrpcErrorWithTheText() {
    var bad = DevopsTest.spec("x", "init").toBuilder().setChaincodeID(ChaincodeID.newBuilder().setPath("missing")).build();
    assertThatThrownBy(() -> stub.deploy(bad))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
          assertThat(e.getStatus().getDescription()).isEqualTo("Error getting chaincode package bytes: path missing does not exist");
        });
  }

  @Test
  void buildPreparesWithoutSubmitting() {
    ChaincodeDeploymentSpec cds = stub.build(DevopsTest.spec("mycc", "init"));
    assertThat(cds.getChaincodeSpec().getChaincodeID().getName()).isEqualTo("mycc");
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void invokeAnswersSuccessWithTheTxid() {
    Response r = stub.invoke(DevopsTest.invocation("mycc", "invoke", "a", "b", "10"));

    assertThat(r.getStatus()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(r.getMsg().toStringUtf8()).isEqualTo(engine.submitted.get(0).getTxid());
  }

  @Test
  void busyEngineIsResourceExhausted() {
    engine.busy = true;
    assertThatThrownBy(() -> stub.invoke(DevopsTest.invocation("mycc", "invoke", "a", "b", "10")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("queue full");
        });
  }

  @Test
  void queryAnswersTheResultOrTheFailureText() {
    engine.answer = tx -> "90".getBytes();
    Response r = stub.query(DevopsTest.invocation("mycc", "query", "a"));
    assertThat(r.getStatus()).isEqualTo(Response.StatusCode.SUCCESS);
    assertThat(r.getMsg().toStringUtf8()).isEqualTo("90");

    engine.answer = tx -> {
      throw new ChaincodeException("Transaction or query returned with failure: Invalid query function name. Expecting \"query\"");
    };
    assertThatThrownBy(() -> stub.query(DevopsTest.invocation("mycc", "qury", "a")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("Error:Transaction or query returned with failure: Invalid query function name. Expecting \"query\"");
        });
  }

  @Test
  void unexpectedFailureIsInternal() {
    engine.answer = tx -> {
      throw new IllegalStateException("engine broke");
    };
    assertThatThrownBy(() -> stub.query(DevopsTest.invocation("mycc", "query", "a")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).isEqualTo("Internal error: java.lang.IllegalStateException: engine broke");
        });
  }

  @Test
  void securityCallsAnswerFailureAsWithSecurityOff() {
    Secret jim = Secret.newBuilder().setEnrollId("jim").setEnrollSecret("6avZQLwcUe9b").build();
    for (Response r :
        new Response[] {
          stub.login(jim),
          stub.eXPGetApplicationTCert(jim),
          stub.eXPPrepareForTx(jim),
          stub.eXPProduceSigma(SigmaInput.newBuilder().setSecret(jim).build()),
          stub.eXPExecuteWithBinding(ExecuteWithBinding.getDefaultInstance())
        }) {
      assertThat(r.getStatus()).isEqualTo(Response.StatusCode.FAILURE);
      assertThat(r.getMsg().toStringUtf8()).isEqualTo("Security NOT enabled");
    }
    assertThat(engine.submitted).isEmpty();
  }

  @Test
  void statusTextsAreCappedSoThatAnErrorEchoingAHugeKeyMakesNoHugeHeader() {
    String huge = "k".repeat(1_000_000);
    String capped = DevopsGrpcService.capped("Error: no such key " + huge);
    org.assertj.core.api.Assertions.assertThat(capped).hasSizeLessThan(1_100).endsWith("… (1000019 characters in all)");
    org.assertj.core.api.Assertions.assertThat(DevopsGrpcService.capped("short")).isEqualTo("short");
  }
}
