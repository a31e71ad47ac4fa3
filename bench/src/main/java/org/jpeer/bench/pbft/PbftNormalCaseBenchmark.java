package org.jpeer.bench.pbft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.consensus.pbft.PbftAction;
import org.jpeer.consensus.pbft.PbftConfig;
import org.jpeer.consensus.pbft.PbftCore;
import org.jpeer.consensus.pbft.PbftEvent;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.Transaction;
import org.jpeer.protos.pbft.BatchMessage;
import org.jpeer.protos.pbft.PbftMessage;
import org.jpeer.protos.pbft.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PBFT core's own cost through the whole normal case: four replicas in one thread, 1,000 client
 * requests submitted to one backup back to back (as concurrent clients do), every request broadcast,
 * batches pre-prepared, prepared,
 * committed, executed (at once) and checkpointed, every message serialized by its sender and parsed
 * by its receiver. No network, disk, timers or chaincode: what is measured is protocol work, so the
 * score is requests per second of that work on one core for N=4.
 *
 * <pre>java -jar bench/target/benchmarks.jar PbftNormalCaseBenchmark -wi 3 -w 2 -i 5 -r 2 -f 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PbftNormalCaseBenchmark {

  static final int REQUESTS = 1000;

  @Param({"10", "100", "500"})
  public int batchSize;

  private PbftCore[] cores;
  private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
  private long[] height;
  private long nanos;
  private long messages;
  private long batches;
  private ByteString payload;

  @Setup(Level.Trial)
  public void setUp() {
    PbftConfig cfg = PbftConfig.DEFAULTS.withBatchSize(batchSize).withCapacity(100_000);
    cores = new PbftCore[4];
    height = new long[4];
    for (int i = 0; i < 4; i++) {
      height[i] = 1;
      cores[i] = PbftCore.create(cfg, i, Map.of(), 0, info(1), i);
      drain(i, cores[i].step(new PbftEvent.Start()));
    }
    deliver();
    // An invoke of example02 as devops builds it is ~200 bytes.
    payload = Transaction.newBuilder().setType(Transaction.Type.CHAINCODE_INVOKE)
        .setChaincodeID(ByteString.copyFrom(new byte[140])).setPayload(ByteString.copyFrom(new byte[40]))
        .setTxid("00000000-0000-0000-0000-000000000000").build().toByteString();
  }

  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public long thousandRequests() {
    for (int i = 0; i < REQUESTS; i++) {
      long t = ++nanos;
      Request r = Request.newBuilder().setReplicaId(1)
          .setTimestamp(Timestamp.newBuilder().setSeconds(t / 1_000_000_000L).setNanos((int) (t % 1_000_000_000L)))
          .setPayload(payload).build();
      drain(1, cores[1].step(new PbftEvent.LocalRequest(r)));
    }
    deliver(); // as under load: the primary sees the requests arrive back to back
    return cores[0].lastExecuted();
  }

  @TearDown(Level.Trial)
  public void report() {
    System.out.printf("%n  batchsize %d: %d batches, %.1f messages per batch, %.2f messages per request%n",
        batchSize, batches, batches == 0 ? 0.0 : messages / (double) batches,
        messages / (double) Math.max(1, nanos));
  }

  private void drain(int from, List<PbftAction> actions) {
    for (PbftAction a : actions) {
      if (a instanceof PbftAction.Send s) {
        ByteString bytes = s.message().toByteString(); // serialized once, as the loop does
        for (int to : s.to()) {
          wire.add(new Object[] {from, to, bytes});
          messages++;
        }
      } else if (a instanceof PbftAction.Execute x) {
        if (from == 0) {
          batches++;
        }
        height[from]++;
        drain(from, cores[from].step(new PbftEvent.Executed(x.seqNo(), info(height[from]))));
      }
    }
  }

  private void deliver() {
    try {
      while (!wire.isEmpty()) {
        Object[] m = wire.poll();
        int from = (int) m[0];
        int to = (int) m[1];
        BatchMessage bm = BatchMessage.parseFrom((ByteString) m[2]);
        PbftEvent e = bm.hasRequest() ? new PbftEvent.RequestFrom(from, bm.getRequest())
            : new PbftEvent.MessageFrom(from, PbftMessage.parseFrom(bm.getPbftMessage()));
        drain(to, cores[to].step(e));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BlockchainInfo info(long height) {
    return BlockchainInfo.newBuilder().setHeight(height).setCurrentBlockHash(ByteString.copyFrom(new byte[64])).build();
  }
}
