package org.jpeer.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peer chaincode ...} and {@code peer network ...} in-process against real gRPC servers. */
class ChaincodeCommandsTest {
  private static final String USAGE_LINE = "Usage: peer chaincode";

  @TempDir Path workDir;
  private FakeDevops devops;

  @BeforeEach
  void startDevops() throws Exception {
    devops = new FakeDevops();
  }

  @AfterEach
  void stopDevops() throws Exception {
    devops.close();
  }

  private Map<String, String> env(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:" + port);
    env.put("CORE_PEER_FILESYSTEMPATH", workDir.resolve("production").toString());
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.of(workDir, env(devops.port()), args);
  }

  private static List<String> args(ChaincodeSpec spec) {
    return spec.getCtorMsg().getArgsList().stream().map(ByteString::toStringUtf8).toList();
  }

  @Test
  void deploySendsTheSpecAndPrintsTheName() {
    CliRun r = run("chaincode", "deploy", "-p", "github.com/example02", "-c", "{\"Args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Deploy chaincode: a1b2c3\n");
    ChaincodeSpec sent = (ChaincodeSpec) devops.requests.get(0);
    assertThat(sent.getType()).isEqualTo(ChaincodeSpec.Type.GOLANG);
    assertThat(sent.getChaincodeID().getPath()).isEqualTo("github.com/example02");
    assertThat(args(sent)).containsExactly("init", "a", "100", "b", "200");
  }

  @Test
  void ctorAcceptsBothJsonForms() {
    assertThat(run("chaincode", "invoke", "-n", "mycc", "-c", "{\"Args\":[\"invoke\",\"a\",\"b\",\"10\"]}").exitCode()).isZero();
    assertThat(run("chaincode", "invoke", "-n", "mycc", "-c", "{\"Function\":\"invoke\",\"Args\":[\"a\",\"b\",\"10\"]}").exitCode()).isZero();
    // Go's JSON decoding matches keys in any case
    assertThat(run("chaincode", "invoke", "-n", "mycc", "-c", "{\"function\":\"invoke\",\"args\":[\"a\",\"b\",\"10\"]}").exitCode()).isZero();
    assertThat(devops.requests).hasSize(3);
    for (Object request : devops.requests) {
      ChaincodeInvocationSpec invocation = (ChaincodeInvocationSpec) request;
      assertThat(invocation.getChaincodeSpec().getChaincodeID().getName()).isEqualTo("mycc");
      assertThat(args(invocation.getChaincodeSpec())).containsExactly("invoke", "a", "b", "10");
    }
  }

  @Test
  void invokePrintsNothingAtTheDefaultLevelAndPassesTid() {
    CliRun r = run("chaincode", "invoke", "-n", "mycc", "-t", "sha256", "-l", "java", "-a", "[\"role\"]", "-c", "{\"Args\":[\"x\"]}");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    ChaincodeInvocationSpec sent = (ChaincodeInvocationSpec) devops.requests.get(0);
    assertThat(sent.getIdGenerationAlg()).isEqualTo("sha256");
    assertThat(sent.getChaincodeSpec().getType()).isEqualTo(ChaincodeSpec.Type.JAVA);
    assertThat(sent.getChaincodeSpec().getAttributesList()).containsExactly("role");
  }

  @Test
  void queryPrintsTheResultInThreeFormats() {
    String[] query = {"chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"query\",\"a\"]}"};
    CliRun plain = run(query);
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out()).isEqualTo("Query Result: 90\n");

    CliRun raw = run(concat(query, "-r"));
    assertThat(raw.out()).isEqualTo("Query Result (Raw): 90");

    CliRun hex = run(concat(query, "-x"));
    assertThat(hex.out()).isEqualTo("3930\n");

    CliRun both = run(concat(query, "-r", "-x"));
    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.errorLine()).isEqualTo("Error: Options --raw (-r) and --hex (-x) are not compatible");
  }

  @Test
  void queryFailureShowsTheOriginalRpcErrorText() {
    CliRun r = run("chaincode", "query", "-n", "nosuchcc", "-c", "{\"Args\":[\"query\",\"a\"]}");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errorLine())
        .isEqualTo(
            "Error: Error querying chaincode: rpc error: code = 2 desc = Error:Failed to launch chaincode"
                + " spec(Could not get deployment transaction for nosuchcc - LedgerError - ResourceNotFound:"
                + " ledger: resource not found)");
    CliRun failing = run("chaincode", "query", "-n", "failcc", "-c", "{\"Args\":[\"query\",\"zz\"]}");
    assertThat(failing.exitCode()).isEqualTo(1);
    assertThat(failing.errorLine())
        .isEqualTo(
            "Error: Error querying chaincode: rpc error: code = 2 desc = Error:Transaction or query returned"
                + " with failure: {\"Error\":\"Nil amount for zz\"}");
    // a failure at the peer is no usage error: no usage text follows
    assertThat(failing.err()).doesNotContain("Usage:");
  }

  @Test
  void errorTextsOfTheOriginal() {
    CliRun noName = run("chaincode", "deploy", "-c", "{\"Args\":[\"init\"]}");
    assertThat(noName.exitCode()).isEqualTo(1);
    assertThat(noName.errorLine()).isEqualTo("Error: Must supply value for chaincode path parameter.");
    assertThat(noName.err()).contains("Usage: peer chaincode deploy");

    CliRun badJson = run("chaincode", "deploy", "-n", "mycc", "-c", "{\"Args\":[\"init\"");
    assertThat(badJson.errorLine()).isEqualTo("Error: Chaincode argument error: unexpected end of JSON input");

    CliRun noCtor = run("chaincode", "deploy", "-n", "mycc");
    assertThat(noCtor.errorLine())
        .isEqualTo(
            "Error: Empty JSON chaincode parameters must contain the following keys: 'Args' or 'Function' and 'Args'");

    CliRun extraKey = run("chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[],\"Other\":1}");
    assertThat(extraKey.errorLine())
        .isEqualTo(
            "Error: Non-empty JSON chaincode parameters must contain the following keys: 'Args' or 'Function' and 'Args'");

    CliRun notString = run("chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"a\",1]}");
    assertThat(notString.errorLine())
        .isEqualTo("Error: Chaincode argument error: json: cannot unmarshal number into Go value of type string");

    CliRun badAttributes = run("chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"a\"]}", "-a", "[");
    assertThat(badAttributes.errorLine()).isEqualTo("Error: Chaincode argument error: unexpected end of JSON input");

    assertThat(devops.requests).isEmpty();
    for (CliRun r : List.of(noName, badJson, noCtor, extraKey, notString, badAttributes)) {
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains(USAGE_LINE);
    }
  }

  @Test
  void chaincodeCommandsAgainstAPeerWithoutDevopsSayNotAvailable() throws Exception {
    // a real gRPC server that serves nothing, like a peer whose Devops service is not wired in
    Server bare = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
    try {
      Map<String, String> env = env(bare.getPort());
      CliRun deploy = CliRun.of(workDir, env, "chaincode", "deploy", "-n", "mycc", "-c", "{\"Args\":[\"init\"]}");
      assertThat(deploy.exitCode()).isEqualTo(1);
      assertThat(deploy.errorLine())
          .isEqualTo(
              "Error: peer chaincode deploy is not available on this peer: 127.0.0.1:"
                  + bare.getPort()
                  + " does not serve protos.Devops/Deploy");
      CliRun query = CliRun.of(workDir, env, "chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"query\"]}");
      assertThat(query.errorLine()).contains("peer chaincode query is not available on this peer");
      CliRun list = CliRun.of(workDir, env, "network", "list");
      assertThat(list.exitCode()).isEqualTo(1);
      assertThat(list.errorLine()).contains("peer network list is not available on this peer").contains("protos.Openchain/GetPeers");
    } finally {
      bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unreachablePeerGivesAConnectionError() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CliRun r = CliRun.of(workDir, env(port), "chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"q\"]}");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errorLine())
        .startsWith("Error: Error querying chaincode: Error trying to connect to local peer at 127.0.0.1:" + port + ": ");
  }

  @Test
  void securityNeedsAUserWithALoginToken() throws Exception {
    Map<String, String> env = env(devops.port());
    env.put("CORE_SECURITY_ENABLED", "true");
    String[] query = {"chaincode", "query", "-n", "mycc", "-c", "{\"Args\":[\"q\"]}"};
    CliRun noUser = CliRun.of(workDir, env, query);
    assertThat(noUser.errorLine()).isEqualTo("Error: Must supply username for chaincode when security is enabled");
    CliRun notLoggedIn = CliRun.of(workDir, env, concat(query, "-u", "jim"));
    assertThat(notLoggedIn.errorLine())
        .isEqualTo("Error: User 'jim' not logged in. Use the 'peer network login' command to obtain a security token.");

    CliRun login = CliRun.of(workDir, env, "network", "login", "jim", "-p", "right");
    assertThat(login.exitCode()).as(login.err()).isZero();
    Path token = workDir.resolve("production/client/loginToken_jim");
    assertThat(Files.readString(token, StandardCharsets.UTF_8)).isEqualTo("jim");
    assertThat(((Secret) devops.requests.get(0)).getEnrollId()).isEqualTo("jim");

    CliRun loggedIn = CliRun.of(workDir, env, concat(query, "-u", "jim"));
    assertThat(loggedIn.exitCode()).as(loggedIn.err()).isZero();
    ChaincodeInvocationSpec sent = (ChaincodeInvocationSpec) devops.requests.get(1);
    assertThat(sent.getChaincodeSpec().getSecureContext()).isEqualTo("jim");
  }

  @Test
  void loginFailureAndArgumentErrors() {
    CliRun wrong = run("network", "login", "bob", "-p", "wrong");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.errorLine()).isEqualTo("Error: Error on client login: Identity or token does not match.");
    assertThat(workDir.resolve("production/client/loginToken_bob")).doesNotExist();

    assertThat(run("network", "login").errorLine()).isEqualTo("Error: Must supply username");
    CliRun traversal = run("network", "login", "../../evil", "-p", "right");
    assertThat(traversal.exitCode()).isEqualTo(1);
    assertThat(traversal.errorLine())
        .isEqualTo("Error: Invalid enrollment ID parameter: \"../../evil\" does not match rest.validPatterns.enrollmentID ^\\w+$");
    assertThat(devops.requests).hasSize(1); // only the "wrong" login above reached the peer
    // without -p the password is read from the console; tests have none
    assertThat(run("network", "login", "carol").errorLine())
        .isEqualTo("Error: Error trying to read password from console: no console available; give the password with -p");
    assertThat(run("network", "login", "a", "b").errorLine())
        .isEqualTo("Error: Must supply username as the 1st and only parameter");
  }

  @Test
  void networkListPrintsGoJson() {
    CliRun r = run("network", "list");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo("{\"Peers\":[{\"ID\":{\"name\":\"vp1\"},\"address\":\"172.17.0.3:7051\",\"type\":1,\"pkiID\":\"cGtp\"}]}\n");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
