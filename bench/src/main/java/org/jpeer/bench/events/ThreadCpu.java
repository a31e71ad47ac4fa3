package org.jpeer.bench.events;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's live threads, summed by thread name with the numbers taken out
 * ({@code events-send-1} and {@code -2} are {@code events-send-N}), and GC time: on a 2-core machine
 * that all parts of a run share, where the CPU went says more than any single latency figure.
 */
record ThreadCpu(Map<String, Long> nanosByGroup, long gcMillis, long wallNanos) {

  static ThreadCpu now() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long cpu = threads.getThreadCpuTime(t.getId());
      if (cpu > 0) {
        groups.merge(t.getName().replaceAll("\\d+", "N"), cpu, Long::sum);
      }
    }
    long gc = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime());
    }
    return new ThreadCpu(groups, gc, System.nanoTime());
  }

  /**
   * {@code group 1.23 s, ...} from {@code earlier} to this, largest first; threads gone in between are
   * not counted, and the GC threads' CPU shows only as GC (pause) time.
   */
  String since(ThreadCpu earlier) {
    StringBuilder s = new StringBuilder();
    long total = 0;
    var deltas = new java.util.ArrayList<Map.Entry<String, Long>>();
    for (Map.Entry<String, Long> e : nanosByGroup.entrySet()) {
      long d = e.getValue() - earlier.nanosByGroup.getOrDefault(e.getKey(), 0L);
      if (d >= 10_000_000L) {
        deltas.add(Map.entry(e.getKey(), d));
      }
      total += Math.max(0, d);
    }
    deltas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    s.append(String.format("%.2f s of thread CPU in %.2f s wall:", total / 1e9, (wallNanos - earlier.wallNanos) / 1e9));
    for (Map.Entry<String, Long> e : deltas) {
      s.append(String.format(" %s %.2f,", e.getKey(), e.getValue() / 1e9));
    }
    s.append(String.format(" GC pauses %.2f s", (gcMillis - earlier.gcMillis) / 1e3));
    return s.toString();
  }
}
