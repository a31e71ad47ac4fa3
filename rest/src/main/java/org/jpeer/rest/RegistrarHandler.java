package org.jpeer.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jpeer.devops.DevopsException;
import org.jpeer.devops.UserCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /registrar} endpoints as the original answers them. With security on a login enrols
 * the user through the membership service and writes its token; the enrolment and transaction
 * certificates of a logged-in user are served URL-query-escaped PEM. With security off a login is
 * checked and then refused with 401 "Security NOT enabled" (the original's Login fails the same way
 * when it cannot enrol) and certificate requests answer that security must be enabled. Either way
 * the login-token files under {@code <peer.fileSystemPath>/client/} are looked up and deleted as the
 * original does.
 */
final class RegistrarHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(RegistrarHandler.class);
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String PREFIX = "/registrar";
  static final String SECURITY_NOT_ENABLED = "Security NOT enabled";
  static final String NO_SECRET = "Payload must contain object Secret with enrollId and enrollSecret fields.";

  private record Secret(String enrollId, String enrollSecret) {}

  private final Path tokenDir;
  private final Path cryptoDir;
  private final Pattern enrollmentId;
  private final int maxRequestBytes;
  private final Optional<UserCrypto> security;

  RegistrarHandler(Path fileSystemPath, Pattern enrollmentId, int maxRequestBytes, Optional<UserCrypto> security) {
    this.security = security;
    this.tokenDir = fileSystemPath.resolve("client").toAbsolutePath().normalize();
    this.cryptoDir = fileSystemPath.resolve("crypto").resolve("client").toAbsolutePath().normalize();
    this.enrollmentId = enrollmentId;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = Http.path(request);
    if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
      return false;
    }
    String[] parts = path.equals(PREFIX) ? new String[0] : path.substring(PREFIX.length() + 1).split("/", -1);
    String method = request.getMethod();
    if (parts.length == 0 && HttpMethod.POST.is(method)) {
      login(request, response, callback);
      return true;
    }
    if (parts.length == 1 && !parts[0].isEmpty() && (HttpMethod.GET.is(method) || HttpMethod.DELETE.is(method))) {
      String id = parts[0];
      if (!valid(id)) {
        Http.send(response, callback, 400, Http.error("Invalid enrollment ID parameter"));
      } else if (HttpMethod.GET.is(method)) {
        loggedIn(id, response, callback);
      } else {
        logout(id, response, callback);
      }
      return true;
    }
    if (parts.length == 2 && !parts[0].isEmpty() && HttpMethod.GET.is(method)
        && (parts[1].equals("ecert") || parts[1].equals("tcert"))) {
      if (!valid(parts[0])) {
        Http.send(response, callback, 400, Http.error("Invalid enrollment ID parameter"));
      } else if (security.isEmpty()) {
        Http.send(response, callback, 400,
            Http.error("Security functionality must be enabled before requesting client certificates."));
      } else if (parts[1].equals("ecert")) {
        ecert(parts[0], response, callback);
      } else {
        tcerts(parts[0], request, response, callback);
      }
      return true;
    }
    return false;
  }

  private void login(Request request, Response response, Callback callback) {
    Secret secret;
    try {
      secret = secret(Http.body(request, maxRequestBytes));
    } catch (Http.TooLarge e) {
      Http.send(response, callback, 413, Http.error("Request body exceeds the limit of " + maxRequestBytes + " bytes."));
      return;
    } catch (IOException e) {
      Http.send(response, callback, 400, Http.error(e.getMessage()));
      return;
    }
    if (secret == null) {
      Http.send(response, callback, 400, Http.error(NO_SECRET));
    } else if (secret.enrollId().isEmpty() || secret.enrollSecret().isEmpty()) {
      Http.send(response, callback, 400, Http.error("enrollId and enrollSecret may not be blank."));
    } else if (!valid(secret.enrollId())) {
      Http.send(response, callback, 400, Http.error("Invalid enrollment ID parameter"));
    } else if (Files.exists(token(secret.enrollId()))) {
      Http.send(response, callback, 200, Http.ok("User " + secret.enrollId() + " is already logged in."));
    } else if (security.isEmpty()) {
      log.debug("REST login of {} refused: security is not enabled", secret.enrollId());
      Http.send(response, callback, 401, Http.error(SECURITY_NOT_ENABLED));
    } else {
      try {
        security.get().login(secret.enrollId(), secret.enrollSecret());
      } catch (DevopsException e) {
        Http.send(response, callback, 401, Http.error(e.getMessage()));
        return;
      }
      log.info("REST login successful for user {}", secret.enrollId());
      Http.send(response, callback, 200, Http.ok("Login successful for user '" + secret.enrollId() + "'."));
    }
  }

  private void ecert(String id, Response response, Callback callback) {
    try {
      X509Certificate cert = security.get().member(id).enrolmentCert();
      Http.send(response, callback, 200, Http.ok(escapedPem(cert.getEncoded())));
    } catch (DevopsException e) {
      Http.send(response, callback, 400, Http.error(e.getMessage()));
    } catch (java.security.cert.CertificateEncodingException e) {
      Http.send(response, callback, 500, Http.error("Enrollment certificate is nil."));
    }
  }

  /** As the original: one TCert, repeated {@code count} times (default 1, at most 500). */
  private void tcerts(String id, Request request, Response response, Callback callback) {
    int count = 1;
    String given = Request.extractQueryParameters(request).getValue("count");
    if (given != null) {
      long n;
      try {
        n = Long.parseLong(given);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || n > 0xFFFF_FFFFL) {
        Http.send(response, callback, 400, Http.error("Count query parameter must be a non-negative integer."));
        return;
      }
      count = n == 0 ? 1 : (int) Math.min(n, 500);
    }
    String pem;
    try {
      pem = escapedPem(security.get().takeTCert(id).certDer());
    } catch (DevopsException e) {
      Http.send(response, callback, 400, Http.error(e.getMessage()));
      return;
    }
    StringBuilder json = new StringBuilder("{\"OK\":[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "\"" : ",\"").append(pem).append('"');
    }
    Http.send(response, callback, 200, json.append("]}").toString());
  }

  /** Go's url.QueryEscape of the PEM: the same as URLEncoder for PEM's alphabet. */
  private static String escapedPem(byte[] der) {
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    return URLEncoder.encode(pem, StandardCharsets.UTF_8);
  }

  /** The body as a Secret; {@code null} when it is empty or lacks a field. */
  private static Secret secret(byte[] body) throws IOException {
    String id = null;
    String secret = null;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new IOException("Secret must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (!name.equals("enrollId") && !name.equals("enrollSecret")) {
          throw new IOException("unknown field \"" + name + "\" in protos.Secret");
        }
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
          throw new IOException("field \"" + name + "\" of protos.Secret must be a string");
        }
        String value = v == JsonToken.VALUE_NULL ? "" : p.getText();
        if (name.equals("enrollId")) {
          id = value;
        } else {
          secret = value;
        }
      }
    }
    return id == null || secret == null ? null : new Secret(id, secret);
  }

  private void loggedIn(String id, Response response, Callback callback) {
    if (Files.exists(token(id))) {
      Http.send(response, callback, 200, Http.ok("User " + id + " is already logged in."));
    } else {
      Http.send(response, callback, 401, Http.error("User " + id + " must log in."));
    }
  }

  private void logout(String id, Response response, Callback callback) throws IOException {
    Path token = token(id);
    Path crypto = cryptoDir.resolve(id).normalize();
    if (!Files.exists(token) && !Files.exists(crypto)) {
      Http.send(response, callback, 200, Http.ok("User " + id + " is not logged in."));
      return;
    }
    Files.deleteIfExists(token);
    deleteTree(crypto);
    security.ifPresent(u -> u.forget(id));
    log.info("REST deleted login token and directory for user {}", id);
    Http.send(response, callback, 200, Http.ok("Deleted login token and directory for user " + id + "."));
  }

  /** The id matches the configured pattern and cannot name anything outside the token folders. */
  boolean valid(String id) {
    return enrollmentId.matcher(id).find()
        && token(id).getParent().equals(tokenDir)
        && cryptoDir.resolve(id).normalize().getParent().equals(cryptoDir);
  }

  private Path token(String id) {
    return tokenDir.resolve("loginToken_" + id).normalize();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException e) {
          // removed meanwhile: what we wanted
        }
      }
    }
  }
}
