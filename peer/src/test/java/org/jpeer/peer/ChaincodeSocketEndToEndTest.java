package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.ChildProcess;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.PeerEnv;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaincode streams over the peer's Unix socket ({@code chaincode.java.unixsocket}): a real peer
 * process, the thin example02 jar as its real child process, the socket a real file.
 */
class ChaincodeSocketEndToEndTest {
  /** S_IFMT and S_IFSOCK of stat(2). */
  private static final int FILE_TYPE = 0170000;
  private static final int SOCKET = 0140000;

  @RegisterExtension final TestKit kit = new TestKit();

  private PeerEnv socketOn(String name) {
    return kit.env(name).with("CORE_CHAINCODE_JAVA_UNIXSOCKET", "true");
  }

  private static Path socket(LocalPeer peer) {
    return peer.env().fileSystemPath().resolve("chaincode.sock").toAbsolutePath().normalize();
  }

  private static boolean isSocket(Path p) throws Exception {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & FILE_TYPE) == SOCKET;
  }

  private static String deployExample02(LocalPeer peer) {
    RestClient rest = peer.rest();
    long height = rest.height();
    RestClient.Reply deploy = rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1");
    assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
    String name = deploy.json().at("/result/message").asText();
    peer.await("the deploy block", () -> rest.height() == height + 1);
    assertThat(rest.get("/transactions/" + name).status()).as("the deploy is committed").isEqualTo(200);
    return name;
  }

  private static void moveAndQuery(LocalPeer peer, String name, String expectedA) {
    RestClient rest = peer.rest();
    String txid = rest.rpc("invoke", spec(byName(name), "move", "a", "b", "10"), "2").json()
        .at("/result/message").asText();
    peer.await("the invoke block", () -> rest.get("/transactions/" + txid).status() == 200);
    assertThat(rest.rpc("query", spec(byName(name), "query", "a"), "3").json().at("/result/message").asText())
        .isEqualTo(expectedA);
  }

  /** The {@code -a} argument of the peer's one chaincode child. */
  private static String dialled(LocalPeer peer) {
    List<ProcessHandle> children = peer.chaincodeProcesses();
    assertThat(children).hasSize(1);
    List<String> args = List.of(children.get(0).info().arguments().orElseThrow());
    int a = args.indexOf("-a");
    assertThat(a).as("arguments %s", args).isNotNegative();
    return args.get(a + 1);
  }

  @Test
  void thinJavaChaincodeDialsTheOwnerOnlySocketWhichGoesWithThePeer() throws Exception {
    LocalPeer peer = kit.peer(socketOn("peer"));
    Path socket = socket(peer);
    assertThat(isSocket(socket)).isTrue();
    assertThat(Files.getPosixFilePermissions(socket))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    String name = deployExample02(peer);
    moveAndQuery(peer, name, "90");
    assertThat(dialled(peer)).isEqualTo("unix://" + socket);

    assertThat(peer.stop()).isEqualTo(143);
    assertThat(socket).doesNotExist();
  }

  @Test
  void byDefaultChaincodeDialsPeerAddressAndNoSocketIsMade() {
    LocalPeer peer = kit.peer();
    String name = deployExample02(peer);
    moveAndQuery(peer, name, "90");
    assertThat(dialled(peer)).isEqualTo(peer.grpc().toString());
    assertThat(socket(peer)).doesNotExist();
  }

  @Test
  void aSocketLeftByAKilledPeerIsReplacedAtTheNextStart() throws Exception {
    LocalPeer peer = kit.peer(socketOn("peer"));
    String name = deployExample02(peer);
    peer.kill();
    assertThat(isSocket(socket(peer))).as("kill -9 leaves the socket file").isTrue();

    peer.restart();
    // the first use after the restart launches the chaincode again, on the new socket
    moveAndQuery(peer, name, "90");
    assertThat(dialled(peer)).isEqualTo("unix://" + socket(peer));
  }

  @Test
  void aFileThatIsNotASocketIsLeftAloneAndThePeerSaysWhyItCannotStart() throws Exception {
    Path fs = socketOn("blocked").fileSystemPath();
    Files.createDirectories(fs);
    Path notASocket = fs.resolve("chaincode.sock");
    Files.writeString(notASocket, "user data");

    ChildProcess.Result start = kit.cli(socketOn("blocked"), "node", "start");
    assertThat(start.exitCode()).as(start.describe()).isEqualTo(1);
    assertThat(start.stderr()).contains("cannot serve chaincode on the Unix socket " + notASocket.toAbsolutePath().normalize()
        + " (chaincode.java.unixsocket)");
    assertThat(Files.readString(notASocket)).isEqualTo("user data");
  }

  @Test
  void chaincodeStartedByTheUserInDevModeMayDialTheSocket() {
    LocalPeer peer = kit.peer(socketOn("dev"), "--peer-chaincodedev");
    RestClient rest = peer.rest();
    ChildProcess chaincode = kit.javaJar("chaincode-mycc", EXAMPLE02,
        Map.of("CORE_CHAINCODE_ID_NAME", "mycc", "CORE_PEER_ADDRESS", "unix://" + socket(peer)));
    Await.until("a deploy of mycc commits (once mycc has registered over the socket)", () -> {
      long height = rest.height();
      rest.rpc("deploy", spec(byName("mycc"), "init", "a", "100", "b", "200"), "1");
      peer.await("the deploy block", () -> rest.height() == height + 1);
      assertThat(chaincode.isAlive()).as(chaincode.output()).isTrue();
      return rest.get("/transactions/mycc").status() == 200;
    });
    moveAndQuery(peer, "mycc", "90");
  }
}
