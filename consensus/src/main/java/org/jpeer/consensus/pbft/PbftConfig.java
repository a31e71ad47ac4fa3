package org.jpeer.consensus.pbft;

import java.time.Duration;

/**
 * The PBFT settings of one replica (Fabric's {@code consensus/pbft/config.yaml}, batch mode), with
 * the original's derived values: the log size L, the quorums and the adjusted timeouts.
 *
 * @param n replicas in the network ({@code general.N})
 * @param f tolerated byzantine replicas ({@code general.f}); {@code n >= 3f+1}
 * @param k checkpoint period ({@code general.K})
 * @param logMultiplier L = K x logMultiplier ({@code general.logmultiplier}, at least 2)
 * @param batchSize most requests per batch ({@code general.batchsize})
 * @param byzantine the test switch {@code general.byzantine}: protocol broadcasts skip one random replica a third of the time
 * @param viewChangePeriod automatic view change every {@code viewChangePeriod x K} sequence numbers; 0 = never
 * @param batchTimeout longest wait of a request in the primary's batch while a batch is in flight
 * @param requestTimeout progress timer: no commit for this long while work is outstanding starts a view change
 * @param viewChangeTimeout first wait for a NEW-VIEW once a view-change quorum is seen (doubles per failure)
 * @param resendViewChangeTimeout how often our VIEW-CHANGE is re-sent until a quorum forms
 * @param nullRequestTimeout keep-alive null requests when idle; zero = off
 * @param capacity local requests this replica holds accepted and not yet executed (its intake bound);
 *     also bounds what it keeps of each other replica's requests (twice this)
 */
public record PbftConfig(
    int n,
    int f,
    int k,
    int logMultiplier,
    int batchSize,
    boolean byzantine,
    int viewChangePeriod,
    Duration batchTimeout,
    Duration requestTimeout,
    Duration viewChangeTimeout,
    Duration resendViewChangeTimeout,
    Duration nullRequestTimeout,
    int capacity) {

  /** Fabric's bundled defaults with a capacity of 1000. */
  public static final PbftConfig DEFAULTS = new PbftConfig(4, 1, 10, 4, 500, false, 0,
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ZERO, 1000);

  public PbftConfig {
    if (f < 0 || n < 3 * f + 1) {
      throw new IllegalArgumentException("PBFT needs N >= 3f+1 replicas; got N=" + n + ", f=" + f);
    }
    if (k < 1 || logMultiplier < 2 || batchSize < 1 || viewChangePeriod < 0 || capacity < 1) {
      throw new IllegalArgumentException("PBFT needs K >= 1, logmultiplier >= 2, batchsize >= 1,"
          + " viewchangeperiod >= 0 and capacity >= 1; got K=" + k + ", logmultiplier=" + logMultiplier
          + ", batchsize=" + batchSize + ", viewchangeperiod=" + viewChangePeriod + ", capacity=" + capacity);
    }
    requirePositive(batchTimeout, "timeout.batch");
    requirePositive(requestTimeout, "timeout.request");
    requirePositive(viewChangeTimeout, "timeout.viewchange");
    requirePositive(resendViewChangeTimeout, "timeout.resendviewchange");
    if (nullRequestTimeout == null || nullRequestTimeout.isNegative()) {
      throw new IllegalArgumentException("PBFT timeout.nullrequest must be zero (off) or positive, got " + nullRequestTimeout);
    }
    // The original's adjustments: a request timeout at or below the batch timeout would start view
    // changes while a batch is still filling; a null-request timeout at or below the request
    // timeout would have backups suspect a primary that is only idle.
    if (requestTimeout.compareTo(batchTimeout) <= 0) {
      requestTimeout = scale(batchTimeout, 3, 2);
    }
    if (!nullRequestTimeout.isZero() && nullRequestTimeout.compareTo(requestTimeout) <= 0) {
      nullRequestTimeout = scale(requestTimeout, 3, 2);
    }
  }

  public PbftConfig withN(int n, int f) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withCheckpoints(int k, int logMultiplier) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withBatchSize(int batchSize) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withByzantine(boolean byzantine) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withViewChangePeriod(int viewChangePeriod) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withNullRequestTimeout(Duration nullRequestTimeout) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  public PbftConfig withCapacity(int capacity) {
    return new PbftConfig(n, f, k, logMultiplier, batchSize, byzantine, viewChangePeriod, batchTimeout,
        requestTimeout, viewChangeTimeout, resendViewChangeTimeout, nullRequestTimeout, capacity);
  }

  /** Log size: sequence numbers h < n <= h + L are in the window. */
  public long logSize() {
    return (long) k * logMultiplier;
  }

  /** Fabric's "intersection quorum" ⌊(N + f + 2) / 2⌋ (2f+1 when N = 3f+1). */
  public int quorum() {
    return (n + f + 2) / 2;
  }

  /** Replicas that must join a view change: N − f. */
  public int viewChangeQuorum() {
    return n - f;
  }

  /** A weak certificate: at least one correct replica among f+1. */
  public int weakQuorum() {
    return f + 1;
  }

  /** How often lagging replicas are helped and failed fetches and transfers retried: half the request timeout. */
  public Duration retransmitPeriod() {
    return requestTimeout.dividedBy(2);
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("PBFT " + key + " must be a positive duration, got " + d);
    }
  }

  private static Duration scale(Duration d, int num, int den) {
    return Duration.ofNanos(d.toNanos() / den * num);
  }
}
