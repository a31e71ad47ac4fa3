package org.jpeer.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * End-to-end load generator for a peer's REST API: closed-loop or fixed-rate invokes, closed-loop
 * queries, committed transactions counted from the chain itself. Run with {@code --help}.
 */
public final class LoadGenerator {

  private final Options o;
  private String name;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentLinkedQueue<String> measuredTxids = new ConcurrentLinkedQueue<>();
  private final AtomicLong sentTotal = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong queriesOk = new AtomicLong();
  private final AtomicLong queryErrors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile long loadStart = Long.MAX_VALUE;
  private volatile long measureStart = Long.MAX_VALUE;
  private volatile long measureEnd = Long.MAX_VALUE;
  private volatile boolean stop;

  private LoadGenerator(Options o) {
    this.o = o;
    this.name = o.name();
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (Options.HelpRequested h) {
      System.out.print(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    new LoadGenerator(o).run();
  }

  static long nowNanos() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private String request(String method, List<String> args) {
    String argJson = args.stream().map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(","));
    // A deploy carries the path, and the name too when one is given (dev mode deploys by name).
    String cc = !method.equals("deploy") ? "{\"name\":\"" + name + "\"}"
        : name == null ? "{\"path\":\"" + o.deployPath() + "\"}"
        : "{\"path\":\"" + o.deployPath() + "\",\"name\":\"" + name + "\"}";
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":{\"type\":" + o.type()
        + ",\"chaincodeID\":" + cc + ",\"ctorMsg\":{\"args\":[" + argJson + "]}"
        + (o.secureContext() == null ? "" : ",\"secureContext\":\"" + o.secureContext() + "\"")
        + "},\"id\":" + ids.incrementAndGet() + "}";
  }

  /** The result message of a JSON-RPC answer, or null after recording the error. */
  private String result(HttpConnection.Response r) {
    Map<String, Object> body;
    try {
      body = Json.object(Json.parse(r.body()));
    } catch (IllegalArgumentException e) {
      firstError.compareAndSet(null, "HTTP " + r.status() + " " + r.body());
      return null;
    }
    Object res = body.get("result");
    if (res != null) {
      return String.valueOf(Json.object(res).get("message"));
    }
    firstError.compareAndSet(null, "HTTP " + r.status() + " " + r.body().trim());
    return null;
  }

  private void run() throws Exception {
    if (o.deployPath() != null) {
      deploy();
    }
    ChainWatcher watcher = new ChainWatcher(o.url());
    long startHeight = watcher.nextBlock();
    System.out.printf("peer %s, chaincode %s, chain height %d%n", o.url(), name, startHeight);
    // Before the load, from the height just read: each consumer sees every block the load makes.
    EventConsumers events = o.eventConsumers() == 0 ? null
        : new EventConsumers(o.events(), o.eventConsumers(), startHeight);
    if (events != null) {
      System.out.printf("%d event consumers on %s, registered for BLOCK from block %d%n", o.eventConsumers(),
          o.events().getHostString() + ":" + o.events().getPort(), startHeight);
    }
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < o.invokeConnections(); i++) {
      int index = i;
      workers.add(new Thread(() -> invokeLoop(index), "invoke-" + i));
    }
    for (int i = 0; i < o.queryConnections(); i++) {
      workers.add(new Thread(this::queryLoop, "query-" + i));
    }
    // daemon threads: when this thread fails, the load stops with it instead of running on unwatched
    workers.forEach(t -> t.setDaemon(true));
    long start = System.nanoTime();
    loadStart = nowNanos();
    workers.forEach(Thread::start);
    long warmupEnd = start + o.warmup().toNanos();
    waitUntil(warmupEnd, watcher);
    measureStart = nowNanos();
    Map<Long, Long> cpuAtStart = processCpuMillis();
    long queriesAtStart = queriesOk.get();
    waitUntil(warmupEnd + o.duration().toNanos(), watcher);
    measureEnd = nowNanos();
    Map<Long, Long> cpuAtEnd = processCpuMillis();
    long queries = queriesOk.get() - queriesAtStart;
    stop = true;
    for (Thread t : workers) {
      t.join();
    }
    // Let the network finish what it accepted: until every measured invoke is seen or no block comes
    // for 30 s (a view change under saturating load took 20 s on the 2-core machine; a shorter wait
    // would call those invokes lost).
    List<String> measured = new ArrayList<>(measuredTxids);
    long settleStart = System.nanoTime();
    while (measured.stream().anyMatch(t -> watcher.commit(t) == null) && watcher.nanosSinceProgress() < 30_000_000_000L) {
      watcher.poll();
      Thread.sleep(20);
    }
    System.out.printf("settled %.1f s after the window%n", (System.nanoTime() - settleStart) / 1e9);
    report(watcher, measured, queries);
    reportCpu(cpuAtStart, cpuAtEnd, watcher, measured.size(), queries);
    if (events != null) {
      try {
        // the blocks the chain walk saw, up to its last poll: every consumer must have them all
        long endBlock = watcher.nextBlock();
        events.awaitBlocks(endBlock, java.time.Duration.ofSeconds(10));
        events.report(watcher, endBlock, measureStart, measureEnd);
      } finally {
        events.close();
      }
    }
    watcher.close();
  }

  private void waitUntil(long deadline, ChainWatcher watcher) throws Exception {
    while (System.nanoTime() < deadline) {
      if (o.invokeConnections() > 0) {
        watcher.poll();
      }
      Thread.sleep(20);
    }
  }

  private void invokeLoop(int index) {
    try (HttpConnection http = new HttpConnection(o.url(index))) {
      long n = 0;
      long t0 = System.nanoTime();
      while (!stop) {
        if (o.invokeRate() > 0) {
          // Thread index of K sends its n-th invoke at (n*K + index) / R seconds.
          long due = t0 + (long) ((n * o.invokeConnections() + index) * 1e9 / o.invokeRate());
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          n++;
        }
        long sentAt = nowNanos();
        String txid = result(http.post("/chaincode", request("invoke", o.invokeArgs())));
        sentTotal.incrementAndGet();
        if (txid == null) {
          refused.incrementAndGet();
          // The peer refused (queue full): back off as configured (0: a client that retries at once).
          if (o.retryDelayMillis() > 0) {
            Thread.sleep(o.retryDelayMillis());
          }
        } else if (sentAt >= measureStart && sentAt < measureEnd) {
          measuredTxids.add(txid);
        }
      }
    } catch (IOException | InterruptedException e) {
      firstError.compareAndSet(null, Thread.currentThread().getName() + ": " + e);
    }
  }

  private void queryLoop() {
    try (HttpConnection http = new HttpConnection(o.url())) {
      while (!stop) {
        if (result(http.post("/chaincode", request("query", o.queryArgs()))) != null) {
          queriesOk.incrementAndGet();
        } else {
          queryErrors.incrementAndGet();
        }
      }
    } catch (IOException e) {
      firstError.compareAndSet(null, Thread.currentThread().getName() + ": " + e);
    }
  }

  private void deploy() throws Exception {
    long started = System.nanoTime();
    try (HttpConnection http = new HttpConnection(o.url())) {
      String deployed = result(http.post("/chaincode",
          request("deploy", List.of("init", "a", "1000000000", "b", "1000000000"))));
      if (deployed == null) {
        throw new IllegalStateException("deploy failed: " + firstError.get());
      }
      name = deployed;
      firstError.set(null);
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (result(http.post("/chaincode", request("query", o.queryArgs()))) == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("deployed chaincode " + name + " did not answer a query within 120 s: "
              + firstError.get());
        }
        firstError.set(null);
        Thread.sleep(100);
      }
      firstError.set(null);
      System.out.printf("deployed %s: first query answered %d ms after the deploy request%n", name,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  private void report(ChainWatcher watcher, List<String> measured, long queries) throws IOException {
    double seconds = (measureEnd - measureStart) / 1e9;
    long[] latencies = measured.stream().map(watcher::commit).filter(c -> c != null)
        .mapToLong(c -> c.commitNanos() - c.txNanos()).sorted().toArray();
    long committedInWindow = 0;
    for (String t : measured) {
      ChainWatcher.Commit c = watcher.commit(t);
      if (c != null && c.commitNanos() >= measureStart && c.commitNanos() < measureEnd) {
        committedInWindow++;
      }
    }
    // Transactions sent during warm-up that committed inside the window count too: the figure is the
    // chain's commit rate over the window.
    System.out.printf("window: %.1f s after %.1f s warm-up; invoke connections %d%s, query connections %d%n",
        seconds, o.warmup().toMillis() / 1000.0, o.invokeConnections(),
        o.invokeRate() > 0 ? String.format(" at %.0f/s", o.invokeRate()) : " (closed loop)", o.queryConnections());
    if (o.invokeConnections() > 0) {
      System.out.printf("invokes: %d accepted in window, %d refused in total, %d committed (%d committed inside the window)%n",
          measured.size(), refused.get(), latencies.length, committedInWindow);
      System.out.printf("committed tx/s: %.0f%n", committedInWindow / seconds);
      if (latencies.length > 0) {
        System.out.printf("commit latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
            pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
      }
      // The curve from the first second of load (warm-up included): what a user sees after a start
      // or a deploy, which an average over a window hides.
      int secondsOfLoad = (int) Math.ceil((measureEnd - loadStart) / 1e9);
      long[] curve = watcher.committedPerSecond(loadStart, secondsOfLoad);
      System.out.printf("committed per second from the start of the load: %s%n", Arrays.stream(curve)
          .mapToObj(Long::toString).collect(Collectors.joining(" ")));
      if (latencies.length < measured.size()) {
        System.out.printf("NOT committed (failed or lost): %d%n", measured.size() - latencies.length);
      }
    }
    if (o.queryConnections() > 0) {
      System.out.printf("queries/s: %.0f (%d errors)%n", queries / seconds, queryErrors.get());
    }
    if (o.pid() > 0) {
      System.out.printf("peer peak RSS (VmHWM): %s%n", vmHwm(o.pid()));
      // the local-process runtime's chaincode processes are the peer's children
      ProcessHandle.of(o.pid()).ifPresent(peer -> peer.children().forEach(child ->
          System.out.printf("chaincode process %d peak RSS (VmHWM): %s%n", child.pid(), vmHwm(child.pid()))));
    }
    if (firstError.get() != null) {
      System.out.printf("first error: %s%n", firstError.get());
    }
  }

  /** CPU milliseconds (user + system) used so far by the peer (--pid) and each of its children. */
  private Map<Long, Long> processCpuMillis() {
    Map<Long, Long> cpu = new java.util.LinkedHashMap<>();
    if (o.pid() <= 0) {
      return cpu;
    }
    cpu.put(o.pid(), cpuMillis(o.pid()));
    ProcessHandle.of(o.pid()).ifPresent(p -> p.children().forEach(c -> cpu.put(c.pid(), cpuMillis(c.pid()))));
    return cpu;
  }

  /** Where the CPU went in the window: microseconds of each process per committed invoke (or query). */
  private void reportCpu(Map<Long, Long> before, Map<Long, Long> after, ChainWatcher watcher,
      long accepted, long queries) {
    long work = o.invokeConnections() > 0 ? accepted : queries;
    if (after.isEmpty() || work == 0) {
      return;
    }
    StringBuilder line = new StringBuilder("CPU in the window, per " + (o.invokeConnections() > 0
        ? "accepted invoke" : "query") + ":");
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      line.append(String.format(" %s %d: %.0f us (%.1f s);", e.getKey() == o.pid() ? "peer" : "chaincode",
          e.getKey(), used * 1000.0 / work, used / 1000.0));
    }
    System.out.println(line);
  }

  private static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static String vmHwm(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmHWM:")).map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }
}
