package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.jpeer.devops.Transactions;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeID;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Transaction;
import org.jpeer.testkit.ChaincodeHarness;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Network-mode launches in the process runtime that cannot succeed fail fast and clearly. */
class ProcessRuntimeTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void aJarThatIsNotRunnableFailsTheDeployWithItsExitAndLog() throws Exception {
    // the startup timeout is long: the failure must come from the process exit, not a timeout
    ChaincodeHarness peer = kit.own(ChaincodeHarness.start(kit.dir(),
        o -> o.withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5))));
    Path jar = kit.dir().resolve("broken.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) { // no Main-Class in the manifest
      j.putNextEntry(new ZipEntry("readme.txt"));
      j.write("not a chaincode".getBytes(StandardCharsets.UTF_8));
    }
    Transaction tx = peer.deployTx(jar, "init");
    String name = tx.getTxid();
    Path log = kit.dir().resolve("chaincode").resolve(name).resolve("chaincode.log");
    assertThatThrownBy(() -> peer.run(tx))
        .isInstanceOf(ChaincodeHarness.Rejected.class)
        .hasMessageMatching(Pattern.quote("chaincode " + name + " ended before it registered: its process ")
            + "\\d+" + Pattern.quote(" exited with code 1 (see " + log + ")"));
    assertThat(Files.readString(log)).contains("Error: ").contains("chaincode.jar");
    assertThat(peer.ledger().transaction(name)).isEmpty();
    assertThat(peer.ledger().failure(name)).isPresent();
  }

  @Test
  void aDeployWhosePackageHasNoJarIsRefused() throws Exception {
    ChaincodeHarness peer = kit.own(ChaincodeHarness.processRuntime(kit.dir()));
    ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
        .setChaincodeSpec(ChaincodeHarness.spec(ChaincodeSpec.Type.JAVA,
            ChaincodeID.newBuilder().setName("handmade").build(), "init"))
        .setCodePackage(ByteString.copyFrom(CodePackage.write(Map.of("x", new byte[1]))))
        .build();
    Transaction tx = Transactions.deploy(cds, "handmade", Instant.now());
    assertThatThrownBy(() -> peer.run(tx)).hasMessageContaining("its code package has no chaincode.jar");
    Transaction garbage = tx.toBuilder().setPayload(ByteString.copyFromUtf8("\u0001junk")).build();
    assertThatThrownBy(() -> peer.run(garbage))
        .hasMessageStartingWith("deploy transaction handmade does not carry a ChaincodeDeploymentSpec: ");
  }
}
