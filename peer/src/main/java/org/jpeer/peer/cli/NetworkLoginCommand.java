package org.jpeer.peer.cli;

import io.grpc.StatusRuntimeException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.DevopsGrpc;
import org.jpeer.protos.Response;
import org.jpeer.protos.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peer network login <user> [-p password]}: Devops.Login, then writes the login token
 * {@code <peer.fileSystemPath>/client/loginToken_<user>} (its content is the user name), as the
 * original and the REST {@code /registrar} do.
 */
@Command(name = "login", description = "Logs in user to CLI.")
final class NetworkLoginCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NetworkLoginCommand.class);

  @Mixin CommonOptions common;

  @Option(
      names = {"-p", "--password"},
      paramLabel = "PASSWORD",
      description = "The password for user. You will be requested to enter the password if this flag is not specified.")
  String password = "";

  @Parameters(paramLabel = "USER", arity = "0..*", description = "The user to log in.")
  List<String> users = new ArrayList<>();

  private final CliContext context;

  NetworkLoginCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("network", List.of());
    log.info("CLI client login...");
    if (users.isEmpty()) {
      throw CliException.usage("Must supply username");
    }
    if (users.size() != 1) {
      throw CliException.usage("Must supply username as the 1st and only parameter");
    }
    String user = users.get(0);
    Path token = ChaincodeSpecs.loginToken(config, user);
    log.info("Local data store for client loginToken: {}", token.getParent());
    if (Files.exists(token)) {
      log.info("User '{}' is already logged in.", user);
      return 0;
    }
    String secret = password.isEmpty() ? readPassword(user) : password;
    log.info("Logging in user '{}' on CLI interface...", user);
    try (PeerClient client = PeerClient.open(config)) {
      Response result;
      try {
        result =
            client.devops().login(Secret.newBuilder().setEnrollId(user).setEnrollSecret(secret).build());
      } catch (StatusRuntimeException e) {
        throw client.failure(e, "Error on client login", "peer network login", DevopsGrpc.getLoginMethod());
      }
      if (result.getStatus() != Response.StatusCode.SUCCESS) {
        throw CliException.failure("Error on client login: " + result.getMsg().toStringUtf8());
      }
    }
    writeToken(token, user);
    log.info("Login successful for user '{}'.", user);
    return 0;
  }

  private String readPassword(String user) throws CliException {
    Console console = System.console();
    if (console == null) {
      throw CliException.failure(
          "Error trying to read password from console: no console available; give the password with -p");
    }
    char[] typed = console.readPassword("Enter password for user '%s': ", user);
    if (typed == null) {
      throw CliException.failure("Error trying to read password from console: end of input");
    }
    return new String(typed);
  }

  private static void writeToken(Path token, String user) throws CliException {
    try {
      Files.createDirectories(token.getParent());
      Files.writeString(token, user, StandardCharsets.UTF_8);
      try {
        // owner-only: the original writes 0755, which lets every local account read who is logged in
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        log.debug("No POSIX permissions on {}", token);
      }
    } catch (IOException e) {
      throw CliException.failure("Fatal error when storing client login token: " + e.getMessage(), e);
    }
  }
}
