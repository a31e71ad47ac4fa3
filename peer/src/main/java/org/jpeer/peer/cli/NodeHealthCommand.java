package org.jpeer.peer.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peer node health} (jpeer): GETs the peer's health endpoint ({@code /readyz} on the REST
 * address by default) and exits 0 on a 2xx answer, 1 otherwise. It exists for container health
 * checks: the peer's image is a bare jlink'ed JRE with no shell, curl or wget, so the check has to
 * be something the JRE itself can run.
 */
@Command(name = "health", description = "Checks the node's health endpoint (jpeer): exit 0 on HTTP 2xx, 1 otherwise.")
final class NodeHealthCommand implements Callable<Integer> {
  /** Enough of the body to name the failing check; a health answer is a few hundred bytes. */
  private static final int MAX_BODY_CHARS = 2000;

  @Mixin CommonOptions common;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "URL to check (default: http://<rest.address>/<path>, a wildcard host read as 127.0.0.1).")
  String url;

  @Option(
      names = "--path",
      paramLabel = "PATH",
      defaultValue = "/readyz",
      description = "Path on the REST address when --url is not given (default: ${DEFAULT-VALUE}; /healthz is liveness).")
  String path;

  @Option(
      names = "--timeout",
      paramLabel = "MS",
      defaultValue = "3000",
      description = "Milliseconds to wait for the connection and for the answer (default: ${DEFAULT-VALUE}).")
  long timeoutMillis;

  private final CliContext context;

  NodeHealthCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    if (timeoutMillis <= 0) {
      throw CliException.usage("--timeout must be 1 or above, got " + timeoutMillis);
    }
    URI target = target();
    Duration timeout = Duration.ofMillis(timeoutMillis);
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    HttpResponse<String> answer;
    try {
      answer = http.send(HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw CliException.failure("cannot reach " + target + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while checking " + target, e);
    }
    String body = answer.body().strip();
    if (body.length() > MAX_BODY_CHARS) {
      body = body.substring(0, MAX_BODY_CHARS) + "...";
    }
    if (answer.statusCode() / 100 != 2) {
      throw CliException.failure(target + " answered " + answer.statusCode() + ": " + body);
    }
    context.out().println(answer.statusCode() + " " + body);
    return 0;
  }

  private URI target() throws CliException {
    if (url != null) {
      try {
        URI u = URI.create(url);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw CliException.usage("--url must be an http or https URL, got \"" + url + "\"");
        }
        return u;
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--url \"" + url + "\" is not a URL: " + e.getMessage());
      }
    }
    JpeerConfig config = context.loadConfig("node", List.of());
    HostPort rest = config.rest().address().dialable();
    if (rest.port() == 0) {
      throw CliException.failure("rest.address " + config.rest().address()
          + " has port 0: give the peer's REST address with --url");
    }
    String p = path.startsWith("/") ? path : "/" + path;
    try {
      return URI.create("http://" + rest + p);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--path \"" + path + "\" does not make a URL: " + e.getMessage());
    }
  }
}
