package org.jpeer.bench.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The load generator's command line. */
record Options(
    List<URI> urls,
    String name,
    String deployPath,
    int type,
    List<String> invokeArgs,
    List<String> queryArgs,
    int invokeConnections,
    double invokeRate,
    int queryConnections,
    Duration warmup,
    Duration duration,
    long pid,
    long retryDelayMillis,
    InetSocketAddress events,
    int eventConsumers,
    String secureContext) {

  /** The first peer: where the chaincode is deployed and the blocks are read. */
  URI url() {
    return urls.get(0);
  }

  /** The peer connection {@code index} talks to: the peers in turn. */
  URI url(int index) {
    return urls.get(index % urls.size());
  }

  static final String USAGE = """
      Usage: loadgen [options]
        Drives a peer's REST API with JSON-RPC invokes and queries over HTTP keep-alive, counts the
        invokes that were *committed* by walking the new blocks, and reports committed tx/s, commit
        latency percentiles (block localLedgerCommitTimestamp minus transaction timestamp), queries/s
        and the peer's peak RSS; with --event-consumers, also how long blocks take to reach consumers of
        the peer's event hub (protos.Events/Chat).

        --url URL[,URL..]    peer REST address(es) (default http://127.0.0.1:7050); with several,
                             connection i talks to the i-th in turn, and blocks are read from the first
        --name NAME          chaincode name to drive (e.g. mycc in dev mode)
        --deploy PATH        deploy this chaincode path first (init a/b with 1e9 each) and use its name;
                             with --name too, deploy by that name (dev mode: the chaincode runs already)
        --type N             ChaincodeSpec type for deploy/invoke/query: 1 GOLANG, 4 JAVA (default 1)
        --invoke-args A,B..  invoke ctorMsg args (default move,a,b,1)
        --query-args A,B..   query ctorMsg args (default query,a)
        --conns N            invoke connections (default 0 = no invokes)
        --rate R             fixed rate: R invokes/s spread over --conns connections (default 0 = closed loop)
        --query-conns N      closed-loop query connections (default 0 = no queries)
        --warmup S           seconds of load before measuring (default 3)
        --duration S         measured seconds (default 10)
        --pid PID            the peer's process id, to report its peak RSS (VmHWM)
        --retry-delay MS     pause after a refused invoke before the next (default 2; 0 = retry at
                             once, as a client that does not back off)
        --events HOST:PORT   the peer's event hub (the events= line of <peer.fileSystemPath>/peer.addresses)
        --event-consumers N  gRPC consumers registered for BLOCK events, each on its own connection
                             (default 0); reports receipt time minus the block's localLedgerCommitTimestamp
                             and checks that every block was received once by every consumer
        --secure-context U   name user U (logged in at the peer) in every request, for a peer with
                             security.enabled: each transaction is then signed with a TCert of U
        --help               this text
      """;

  static Options parse(String[] args) {
    List<URI> urls = List.of(URI.create("http://127.0.0.1:7050"));
    long retryDelay = 2;
    String name = null;
    String deploy = null;
    int type = 1;
    List<String> invokeArgs = List.of("move", "a", "b", "1");
    List<String> queryArgs = List.of("query", "a");
    int conns = 0;
    double rate = 0;
    int queryConns = 0;
    double warmup = 3;
    double duration = 10;
    long pid = -1;
    InetSocketAddress events = null;
    int eventConsumers = 0;
    String secureContext = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new HelpRequested();
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--url" -> urls = Arrays.stream(v.split(",", -1)).map(Options::peerUrl).toList();
          case "--name" -> name = v;
          case "--deploy" -> deploy = v;
          case "--type" -> type = Integer.parseInt(v);
          case "--invoke-args" -> invokeArgs = List.of(v.split(","));
          case "--query-args" -> queryArgs = List.of(v.split(","));
          case "--conns" -> conns = Integer.parseInt(v);
          case "--rate" -> rate = Double.parseDouble(v);
          case "--query-conns" -> queryConns = Integer.parseInt(v);
          case "--warmup" -> warmup = Double.parseDouble(v);
          case "--duration" -> duration = Double.parseDouble(v);
          case "--pid" -> pid = Long.parseLong(v);
          case "--retry-delay" -> retryDelay = Long.parseLong(v);
          case "--events" -> events = hostPort(v);
          case "--event-consumers" -> eventConsumers = Integer.parseInt(v);
          case "--secure-context" -> secureContext = v;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + a + ": '" + v + "' is not a number");
      }
    }
    if (name == null && deploy == null) {
      throw new IllegalArgumentException("give --name NAME (a deployed chaincode) or --deploy PATH");
    }
    if (conns == 0 && queryConns == 0) {
      throw new IllegalArgumentException("nothing to do: give --conns and/or --query-conns");
    }
    if (rate > 0 && conns == 0) {
      conns = 4;
    }
    if (secureContext != null && !secureContext.matches("\\w{1,64}")) {
      throw new IllegalArgumentException("option --secure-context: '" + secureContext
          + "' is not an enrolment id (letters, digits, _)");
    }
    if (retryDelay < 0) {
      throw new IllegalArgumentException("option --retry-delay: must be 0 or more milliseconds");
    }
    if (eventConsumers < 0) {
      throw new IllegalArgumentException("option --event-consumers: must be 0 or more");
    }
    // --events alone is allowed (a script may always pass the address); consumers need it
    if (eventConsumers > 0 && events == null) {
      throw new IllegalArgumentException("option --event-consumers needs --events HOST:PORT, the peer's event hub");
    }
    return new Options(urls, name, deploy, type, invokeArgs, queryArgs, conns, rate, queryConns,
        Duration.ofMillis((long) (warmup * 1000)), Duration.ofMillis((long) (duration * 1000)), pid, retryDelay,
        events, eventConsumers, secureContext);
  }

  /** {@code host:port} or {@code [v6]:port}, as peer.addresses writes it; not resolved here. */
  private static InetSocketAddress hostPort(String v) {
    int colon = v.lastIndexOf(':');
    String host = colon > 0 ? v.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("option --events: '" + v + "' is not a host:port address");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static URI peerUrl(String u) {
    if (u.isBlank()) {
      throw new IllegalArgumentException("option --url: an empty address in the list");
    }
    URI uri;
    try {
      uri = new URI(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("option --url: '" + u + "' is not an http://host:port address");
    }
    return uri;
  }

  static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("help", null, false, false);
    }
  }
}
