package org.jpeer.membersrvc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jpeer.config.ConfigException;
import org.jpeer.config.HostPort;
import org.jpeer.config.Settings;
import org.jpeer.crypto.security.SecurityLevel;

/**
 * The membership service's settings, checked at start: every bad value is one line naming its key.
 *
 * @param listen {@code server.port} (":7054" listens on every interface)
 * @param stateDir {@code <server.rootpath>/<server.cadir>}
 * @param users {@code eca.users}, as written
 * @param tls {@code server.tls.cert.file} and {@code key.file}: empty serves plaintext, as the
 *     original's default
 */
record MembersrvcOptions(
    HostPort listen,
    Path stateDir,
    SecurityLevel level,
    String organization,
    String country,
    Affiliations affiliations,
    List<UserLine> users,
    int enrolmentFailures,
    Duration enrolmentBackoff,
    Optional<ServerTls> tls) {

  /** One line of {@code eca.users}: {@code <id>: <role> <secret> [<affiliation> [<metadata> [<registrar>]]]}. */
  record UserLine(String id, int role, String secret, String affiliation, String metadata, String registrar) {}

  static MembersrvcOptions from(Settings s) {
    boolean tlsCert = s.has("server.tls.cert.file") && !s.string("server.tls.cert.file").isBlank();
    boolean tlsKey = s.has("server.tls.key.file") && !s.string("server.tls.key.file").isBlank();
    if (tlsCert != tlsKey) {
      String set = tlsCert ? "server.tls.cert.file" : "server.tls.key.file";
      throw new ConfigException(set + " is set (" + s.value(set).source() + ") but "
          + (tlsCert ? "server.tls.key.file" : "server.tls.cert.file") + " is not: set both for TLS, or neither");
    }
    Optional<ServerTls> tls = tlsCert
        ? Optional.of(ServerTls.read(s.path("server.tls.cert.file"), s.path("server.tls.key.file")))
        : Optional.empty();
    if (s.has("aca.enabled") && s.bool("aca.enabled")) {
      throw new ConfigException(
          "aca.enabled is true (" + s.value("aca.enabled").source() + "), but jpeer's membership service has no"
              + " attribute CA yet: set it to false");
    }
    String port = s.string("server.port").trim();
    HostPort listen;
    try {
      listen = HostPort.parse(port.startsWith(":") ? "0.0.0.0" + port : port);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "server.port " + ConfigException.quote(port) + " (" + s.value("server.port").source()
              + ") is not an address: expected :<port> or <host>:<port> (" + e.getMessage() + ")");
    }
    SecurityLevel level;
    try {
      level = SecurityLevel.of(s.intIn("security.level", 0, 100_000), s.string("security.hashAlgorithm"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("security.level / security.hashAlgorithm: " + e.getMessage());
    }
    Path state = s.path("server.rootpath").resolve(s.nonBlank("server.cadir"));
    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<UserLine> users = new ArrayList<>();
    for (String key : s.keys()) {
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.startsWith("eca.affiliations.")) {
        groups.put(key.substring("eca.affiliations.".length()), s.list(key));
      } else if (lower.startsWith("eca.users.")) {
        users.add(userLine(key.substring("eca.users.".length()), s, key));
      }
    }
    return new MembersrvcOptions(
        listen,
        state,
        level,
        s.string("pki.ca.subject.organization"),
        s.string("pki.ca.subject.country"),
        Affiliations.fromKeys(groups),
        users,
        s.intIn("limits.enrolment.failures", 1, 1_000),
        s.positiveDuration("limits.enrolment.backoff"),
        tls);
  }

  private static UserLine userLine(String id, Settings s, String key) {
    String[] f = s.string(key).trim().split("\\s+");
    String where = key + " (" + s.value(key).source() + ")";
    String idProblem = Requests.idProblem(id);
    if (idProblem != null) {
      throw new ConfigException(where + ": the id " + ConfigException.quote(id) + idProblem);
    }
    if (f.length < 2 || f[0].isEmpty()) {
      throw new ConfigException(where + " must read <role> <secret> [<affiliation> [<metadata>]]");
    }
    int role;
    try {
      role = Integer.parseInt(f[0]);
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": the role " + ConfigException.quote(f[0]) + " is not 1, 2, 4 or 8");
    }
    if (Role.ofBit(role).isEmpty()) {
      throw new ConfigException(where + ": the role " + role + " is not 1 (client), 2 (peer), 4 (validator) or 8 (auditor)");
    }
    return new UserLine(
        id, role, f[1], f.length > 2 ? f[2] : "", f.length > 3 ? unquote(f[3]) : "", f.length > 4 ? f[4] : "");
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith("\"") && s.endsWith("\"")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
