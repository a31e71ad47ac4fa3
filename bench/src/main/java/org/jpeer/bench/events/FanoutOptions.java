package org.jpeer.bench.events;

import java.time.Duration;

/** EventFanout's command line. */
record FanoutOptions(int consumers, int blockSize, double rate, Duration warmup, Duration duration) {

  static final String USAGE = """
      Usage: event-fanout [options]
        Commits synthetic invoke blocks to a real ledger (RocksDB, fresh temp folder) on a fixed schedule,
        with the event hub (buffer 100 blocks, timeout 10 ms) and its gRPC server on 127.0.0.1, and
        measures how long each block's events take to reach every consumer (each on its own gRPC
        channel, registered for BLOCK and for the chaincode's events): commit returned -> BLOCK event
        received, and -> the block's last chaincode event received. Exits 1 if any event was missing
        or duplicated or a consumer was disconnected.

        --consumers N     gRPC consumers (default 10)
        --block-size N    transactions per block, each with one chaincode event (default 100, at most 9999)
        --rate R          committed transactions per second: a block every block-size/R seconds (default 5000)
        --warmup S        seconds committed before the measured window (default 3)
        --duration S      measured seconds (default 10)
        --help            this text
      """;

  Duration period() {
    return Duration.ofNanos((long) (blockSize * 1e9 / rate));
  }

  /** Blocks on the schedule, warm-up and window together. */
  int totalBlocks() {
    return (int) Math.ceil((warmup.toNanos() + duration.toNanos()) / (double) period().toNanos());
  }

  static FanoutOptions parse(String[] args) {
    int consumers = 10;
    int blockSize = 100;
    double rate = 5000;
    double warmup = 3;
    double duration = 10;
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
          case "--consumers" -> consumers = Integer.parseInt(v);
          case "--block-size" -> blockSize = Integer.parseInt(v);
          case "--rate" -> rate = Double.parseDouble(v);
          case "--warmup" -> warmup = Double.parseDouble(v);
          case "--duration" -> duration = Double.parseDouble(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + a + ": '" + v + "' is not a number");
      }
    }
    // the hub's default limit is 1,000 consumers (HubSettings.of)
    if (consumers < 1 || consumers > 1000) {
      throw new IllegalArgumentException("option --consumers: must be 1 to 1000, got " + consumers);
    }
    if (blockSize < 1 || blockSize > SyntheticBlocks.MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException("option --block-size: must be 1 to " + SyntheticBlocks.MAX_BLOCK_SIZE
          + ", got " + blockSize);
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("option --rate: must be above 0 transactions per second");
    }
    if (!(warmup >= 0) || !(duration > 0)) {
      throw new IllegalArgumentException("options --warmup and --duration: seconds, 0 or more and above 0");
    }
    return new FanoutOptions(consumers, blockSize, rate,
        Duration.ofMillis((long) (warmup * 1000)), Duration.ofMillis((long) (duration * 1000)));
  }

  static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("help", null, false, false);
    }
  }
}
