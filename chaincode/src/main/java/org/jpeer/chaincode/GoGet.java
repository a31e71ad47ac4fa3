package org.jpeer.chaincode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The original's {@code getCodeFromHTTP}: {@code go get <location>} into a new temporary GOPATH
 * under {@code <gopath>/_usercode_/}, with GOPATH = {@code <temp>:<peer's GOPATH>}, killed (with
 * whatever it started, e.g. git) after {@code chaincode.deploytimeout}. The caller deletes the
 * temporary GOPATH once the code is hashed.
 */
final class GoGet {
  private GoGet() {}

  /** Returns the temporary GOPATH holding {@code src/<location>}; errors are the original's texts. */
  static Path fetch(String location, GoOptions go, Duration timeout) throws ChaincodeException {
    Path gopath = go.firstGopath().orElseThrow(() -> new ChaincodeException("GOPATH not defined"));
    Path usercode = gopath.resolve("_usercode_");
    Path temp;
    try {
      Files.createDirectories(usercode);
      temp = Files.createTempDirectory(usercode, "");
    } catch (IOException e) {
      throw new ChaincodeException("could not create tmp dir under " + usercode + "("
          + e.getMessage() + ")");
    }
    ProcessBuilder builder = new ProcessBuilder(List.of(go.goCommand(), "get", location))
        .directory(temp.toFile());
    Map<String, String> env = builder.environment();
    env.put("GOPATH", temp + File.pathSeparator + go.gopath());
    // Go ≥ 1.16 would look for a go.mod; the original's Go had only GOPATH mode
    env.put("GO111MODULE", "off");
    Path errors = temp.resolve(".go-get.err");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.to(errors.toFile()));
    try {
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new ChaincodeException("'go get' failed with error: \"" + e.getMessage() + "\"\n"
            + "(install a Go toolchain, e.g. apt-get install golang-go, or set "
            + "chaincode.golang.go)");
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new ChaincodeException("Getting chaincode took too long");
      }
      if (process.exitValue() != 0) {
        String stderr = Files.readString(errors, StandardCharsets.UTF_8);
        throw new ChaincodeException("'go get' failed with error: \"exit status "
            + process.exitValue() + "\"\n" + stderr);
      }
      Files.deleteIfExists(errors);
      return temp;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      GoFiles.deleteTree(temp);
      throw new ChaincodeException("interrupted while running go get " + location);
    } catch (IOException e) {
      GoFiles.deleteTree(temp);
      throw new ChaincodeException("'go get' failed with error: \"" + e.getMessage() + "\"");
    } catch (ChaincodeException e) {
      GoFiles.deleteTree(temp);
      throw e;
    }
  }
}
