package org.jpeer.rest;

import java.util.List;

/**
 * Every route the REST server answers, as method and path template ({@code {x}} is one non-empty
 * path segment). Request metrics are labelled with these templates, never with raw paths (a txid
 * per label would grow without bound), and {@code openapi.json} describes exactly these (a test
 * holds the two and the handlers together).
 */
final class Routes {
  /** The label of a request that matched no route (answered 404 by {@link NotFoundHandler}). */
  static final String UNMATCHED = "other";

  record Route(String method, String template) {
    boolean matches(String requestMethod, String path) {
      return method.equals(requestMethod) && templateMatches(template, path);
    }
  }

  static final List<Route> ALL = List.of(
      new Route("POST", "/chaincode"),
      new Route("OPTIONS", "/chaincode"),
      new Route("GET", "/chain"),
      new Route("GET", "/chain/blocks/{block}"),
      new Route("GET", "/transactions/{txid}"),
      new Route("GET", "/network/peers"),
      new Route("GET", "/events"),
      new Route("POST", "/registrar"),
      new Route("GET", "/registrar/{enrollmentID}"),
      new Route("DELETE", "/registrar/{enrollmentID}"),
      new Route("GET", "/registrar/{enrollmentID}/ecert"),
      new Route("GET", "/registrar/{enrollmentID}/tcert"),
      new Route("GET", "/metrics"),
      new Route("GET", "/healthz"),
      new Route("GET", "/readyz"),
      new Route("GET", "/openapi.json"),
      new Route("GET", "/explorer"),
      new Route("GET", "/explorer/"),
      new Route("GET", "/explorer/{file}"),
      new Route("GET", "/explorer/api/blocks/{block}"),
      new Route("GET", "/explorer/api/transactions/{txid}"));

  private Routes() {}

  /** The template of the route {@code method path} belongs to, or {@link #UNMATCHED}. */
  static String template(String method, String path) {
    for (Route r : ALL) {
      if (r.matches(method, path)) {
        return r.template();
      }
    }
    // HEAD is answered wherever GET is (health checks use it)
    if ("HEAD".equals(method)) {
      return template("GET", path);
    }
    return UNMATCHED;
  }

  static boolean templateMatches(String template, String path) {
    int t = 0;
    int p = 0;
    while (t < template.length()) {
      char c = template.charAt(t);
      if (c == '{') {
        int end = template.indexOf('}', t);
        int slash = path.indexOf('/', p);
        int segmentEnd = slash < 0 ? path.length() : slash;
        if (segmentEnd == p) {
          return false;
        }
        p = segmentEnd;
        t = end + 1;
      } else {
        if (p >= path.length() || path.charAt(p) != c) {
          return false;
        }
        p++;
        t++;
      }
    }
    return p == path.length();
  }
}
