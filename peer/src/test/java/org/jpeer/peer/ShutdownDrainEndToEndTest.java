package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.grpcSpec;
import static org.jpeer.peer.Examples.invocation;
import static org.jpeer.peer.Examples.path;

import com.google.protobuf.Empty;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.jpeer.config.HostPort;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.OpenchainGrpc;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.Signals;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invokes accepted but not yet executed when the peer is told to stop (SIGTERM) are executed and
 * committed before it exits: after a restart on the same ledger each of them is a committed
 * transaction (GET /transactions/{id} → 200), none is unknown.
 */
class ShutdownDrainEndToEndTest {
  @RegisterExtension final TestKit kit = new TestKit();

  @Test
  void acceptedInvokesAreCommittedOnShutdown() {
    LocalPeer peer = kit.peer(kit.env("peer").with("CORE_CHAINCODE_EXECUTETIMEOUT", "120s"));
    DevopsGrpc.DevopsBlockingStub devops = DevopsGrpc.newBlockingStub(peer.channel());
    OpenchainGrpc.OpenchainBlockingStub chain = OpenchainGrpc.newBlockingStub(peer.channel());
    String name = devops.deploy(grpcSpec(path(EXAMPLE02), "init", "a", "100", "b", "200"))
        .getChaincodeSpec().getChaincodeID().getName();
    peer.await("the deploy to commit", () -> chain.getBlockCount(Empty.getDefaultInstance()).getCount() == 2);

    // Freeze the chaincode so that the invokes are still queued or executing when the stop comes.
    List<ProcessHandle> chaincode = peer.chaincodeProcesses();
    assertThat(chaincode).as("example02's process").hasSize(1);
    Signals.pause(chaincode.get(0));
    ChaincodeInvocationSpec move = invocation(name, "move", "a", "b", "10");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(devops.invoke(move).getMsg().toStringUtf8());
    }
    assertThat(chain.getBlockCount(Empty.getDefaultInstance()).getCount()).isEqualTo(2);

    HostPort rest = peer.addresses().get(LocalPeer.REST).dialable();
    peer.process().sendTerm(); // the shutdown hook stops the peer: REST first, then the consenter drains
    peer.await("the stop to begin (the REST server refuses connections)", () -> !accepts(rest));
    Signals.resume(chaincode.get(0));
    assertThat(peer.process().awaitExit()).isEqualTo(143);
    assertThat(peer.process().stderr()).contains("noops consenter stopped").contains("Peer stopped");

    peer.restart();
    for (String txid : accepted) {
      assertThat(peer.rest().get("/transactions/" + txid).status())
          .as("transaction %s after the restart", txid).isEqualTo(200);
    }
  }

  private static boolean accepts(HostPort address) throws IOException {
    try (Socket s = new Socket(address.host(), address.port())) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }
}
