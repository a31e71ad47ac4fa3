package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network-mode launches in the process runtime that cannot succeed fail fast and clearly. */
class ProcessRuntimeTest {
  @TempDir Path dir;
  TestNetwork net;

  @AfterEach
  void stop() throws Exception {
    net.close();
  }

  Transaction deploy(Path jar) throws ChaincodeException {
    ChaincodeDeploymentSpec cds = net.support.prepareDeploy(ChaincodeSpec.newBuilder()
        .setType(ChaincodeSpec.Type.JAVA).setChaincodeID(ChaincodeID.newBuilder()
            .setPath(jar.toString())).setCtorMsg(TestNetwork.input("init")).build());
    return Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY)
        .setChaincodeID(cds.getChaincodeSpec().getChaincodeID().toByteString())
        .setPayload(cds.toByteString())
        .setTxid(cds.getChaincodeSpec().getChaincodeID().getName())
        .setTimestamp(TestNetwork.now()).build();
  }

  @Test
  void aJarThatIsNotRunnableFailsTheDeployWithItsExitAndLog() throws Exception {
    // the startup timeout is long: the failure must come from the process exit, not a timeout
    net = new TestNetwork(dir, o -> o.withMode(ChaincodeOptions.Mode.NET)
        .withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5)));
    Path jar = dir.resolve("broken.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) { // no Main-Class in the manifest
      j.putNextEntry(new ZipEntry("readme.txt"));
      j.write("not a chaincode".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Transaction tx = deploy(jar);
    String name = tx.getTxid();
    assertThatThrownBy(() -> net.execute(tx))
        .isInstanceOf(ChaincodeException.class)
        .hasMessageContaining("chaincode " + name + " ended before it registered")
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("chaincode.log");
    assertThat(Files.readString(dir.resolve("chaincode").resolve(name).resolve("chaincode.log")))
        .contains("Error: ").contains("chaincode.jar");
    assertThat(net.ledger.transaction(name)).isEmpty();
    assertThat(net.ledger.failure(name)).isPresent();
  }

  @Test
  void aDeployWhosePackageHasNoJarIsRefused() throws Exception {
    net = new TestNetwork(dir, o -> o.withMode(ChaincodeOptions.Mode.NET));
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
        .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
            .setChaincodeID(ChaincodeID.newBuilder().setName("handmade"))
            .setCtorMsg(TestNetwork.input("init")))
        .setCodePackage(ByteString.copyFrom(CodePackage.write(java.util.Map.of("x", new byte[1]))))
        .build();
    Transaction tx = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_DEPLOY)
        .setPayload(cds.toByteString()).setTxid("handmade").build();
    assertThatThrownBy(() -> net.execute(tx))
        .hasMessageContaining("its code package has no chaincode.jar");
    Transaction garbage = tx.toBuilder().setPayload(ByteString.copyFromUtf8("\u0001junk")).build();
    assertThatThrownBy(() -> net.execute(garbage))
        .hasMessageContaining("does not carry a ChaincodeDeploymentSpec");
  }
}
