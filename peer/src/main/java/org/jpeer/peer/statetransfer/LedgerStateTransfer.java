package org.jpeer.peer.statetransfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jpeer.config.SyncSettings;
import org.jpeer.consensus.StateTransfer;
import org.jpeer.ledger.Blocks;
import org.jpeer.ledger.LedgerException;
import org.jpeer.ledger.PeerLedger;
import org.jpeer.ledger.StateDelta;
import org.jpeer.peer.network.Replies;
import org.jpeer.peer.network.SyncClient;
import org.jpeer.protos.Block;
import org.jpeer.protos.BlockchainInfo;
import org.jpeer.protos.SyncBlocks;
import org.jpeer.protos.SyncStateDeltas;
import org.jpeer.protos.SyncStateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StateTransfer} over the peer network and the ledger's state-transfer writes, following the
 * original's catch-up (ledger.md §11). For a target block T with hash H:
 *
 * <ol>
 *   <li>If the state is incomplete (a snapshot was being loaded) or more than
 *       {@code statetransfer.maxdeltas} blocks behind T, load a snapshot (step 4).
 *   <li>Blocks: from T down to the block the state belongs to, each local block that hashes as the
 *       chain says is kept; the others are fetched with SYNC_GET_BLOCKS in descending ranges of at
 *       most {@code peer.sync.blocks.channelSize} + 1 blocks, each checked against the hash the chain
 *       says (T's is H, every other one the previousBlockHash of the block above) before it is stored
 *       (a different stored block is replaced only with {@code statetransfer.recoverdamage}).
 *   <li>The state must hash to its block's state hash, else a snapshot is taken. Then the deltas of
 *       the blocks above are fetched (SYNC_STATE_GET_DELTAS, at most
 *       {@code peer.sync.state.deltas.channelSize} at once) and applied one by one; the ledger checks
 *       each result against the block's state hash. When no peer has the deltas any more (a peer
 *       keeps {@code ledger.state.deltaHistorySize}; one that caught up itself keeps none), a snapshot
 *       is taken instead.
 *   <li>Snapshot: the state is emptied, SYNC_STATE_GET_SNAPSHOT's pieces are applied, the blocks down
 *       to the snapshot's block are verified as in 2, and the loaded state must hash to that block's
 *       state hash. A snapshot of a block S above T (the chain moved on after the checkpoint the
 *       consenter targets; with no further traffic no newer checkpoint comes) is taken back to T by
 *       undoing the deltas of blocks T+1..S, fetched from any peer, and must then hash to T's state
 *       hash. The original reports such a snapshot as an unrecoverable error, and its replica stays
 *       behind until traffic makes a newer checkpoint.
 * </ol>
 *
 * Peers are asked in order: those named by the consenter, then the other connected validators in
 * random order. A peer that serves a wrong block is not asked anything again in that transfer; one
 * that does not answer within {@code statetransfer.timeout.*}, answers out of order, or has no
 * deltas is not asked for that kind of data again.
 *
 * <p>After a transfer the blocks below the ones it needed (all of them after a snapshot) are checked
 * and fetched in the background, {@code statetransfer.blocksperrequest} at a time, as the original's
 * chain validator does, down to genesis; a new transfer goes first.
 *
 * <p>Threading: transfers run one at a time on this object's thread, never concurrently with a
 * batch (the consenter's promise). {@code done} is called exactly once per {@link #syncTo}, with
 * empty when this object is closed first.
 */
public final class LedgerStateTransfer implements StateTransfer, AutoCloseable {
  /** How often a long state transfer logs its progress. */
  static final long PROGRESS_NANOS = 2_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(LedgerStateTransfer.class);
  /** Snapshot pieces are applied in groups of this many keys: one write per key would be slow. */
  private static final int SNAPSHOT_KEYS_PER_WRITE = 1000;

  private final PeerLedger ledger;
  private final SyncClient network;
  private final SyncSettings settings;
  private final ExecutorService thread;
  private final Object lock = new Object();
  private final List<Runnable> abandon = new ArrayList<>(); // guarded by lock: done(empty) of waiting calls
  private final AtomicInteger waitingTransfers = new AtomicInteger();
  private volatile boolean closed;
  private final long progressNanos;
  // the transfer thread's own: the background check of the chain below the last transfer
  private Walk backfill;
  private long backfillTop;
  /** Blocks 0..this are known to form a verified chain (-1: not known yet). */
  private long verifiedToGenesis = -1;

  public LedgerStateTransfer(PeerLedger ledger, SyncClient network, SyncSettings settings) {
    this(ledger, network, settings, PROGRESS_NANOS);
  }

  /** @param progressNanos the least time between two progress lines of one transfer */
  LedgerStateTransfer(PeerLedger ledger, SyncClient network, SyncSettings settings, long progressNanos) {
    this.progressNanos = progressNanos;
    this.ledger = ledger;
    this.network = network;
    this.settings = settings;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "state-transfer");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void syncTo(BlockchainInfo target, List<String> peers, Consumer<Optional<BlockchainInfo>> done) {
    AtomicBoolean called = new AtomicBoolean();
    Consumer<Optional<BlockchainInfo>> once = result -> {
      if (called.compareAndSet(false, true)) {
        try {
          done.accept(result);
        } catch (RuntimeException e) {
          log.warn("The state-transfer callback failed: {}", e.toString(), e);
        }
      }
    };
    Runnable giveUp = () -> once.accept(Optional.empty());
    List<String> named = List.copyOf(peers);
    synchronized (lock) {
      if (closed) {
        giveUp.run();
        return;
      }
      abandon.add(giveUp);
      waitingTransfers.incrementAndGet();
      try {
        thread.execute(() -> {
          waitingTransfers.decrementAndGet();
          Optional<BlockchainInfo> result = Optional.empty();
          try {
            result = run(target, named);
          } catch (InterruptedException e) {
            log.info("State transfer to height {} interrupted (the peer is stopping)", target.getHeight());
          } catch (RuntimeException e) {
            log.warn("State transfer to height {} failed: {}", target.getHeight(), e.toString(), e);
          } finally {
            synchronized (lock) {
              abandon.remove(giveUp);
            }
            once.accept(result);
          }
        });
      } catch (RejectedExecutionException e) {
        abandon.remove(giveUp);
        waitingTransfers.decrementAndGet();
        giveUp.run();
      }
    }
  }

  /** Stops the transfer thread; a running or waiting transfer reports empty. */
  @Override
  public void close() {
    List<Runnable> left;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      left = new ArrayList<>(abandon);
      abandon.clear();
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    left.forEach(Runnable::run);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  // ---------------------------------------------------------------- one transfer

  private Optional<BlockchainInfo> run(BlockchainInfo target, List<String> named) throws InterruptedException {
    backfill = null;
    if (target.getHeight() == 0 || target.getCurrentBlockHash().isEmpty()) {
      log.warn("State transfer refused: the target (height {}) names no block", target.getHeight());
      return Optional.empty();
    }
    long t = target.getHeight() - 1;
    if (ledger.height() - 1 > t) {
      log.warn("State transfer to height {} refused: the ledger already holds {} blocks", target.getHeight(),
          ledger.height());
      return Optional.empty();
    }
    log.info("State transfer to block {} ({}) from {} (state at block {}, height {})", t,
        b64(target.getCurrentBlockHash().toByteArray()), named.isEmpty() ? "any validator" : named,
        ledger.stateBlockNumber(), ledger.height());
    Transfer transfer = new Transfer(t, target.getCurrentBlockHash().toByteArray(), named);
    if (!transfer.run()) {
      log.warn("State transfer to block {} failed; the ledger is at height {}, its state at block {}", t,
          ledger.height(), ledger.stateBlockNumber());
      return Optional.empty();
    }
    log.info("State transfer to block {} done: {} blocks fetched, {} deltas applied{}", t, transfer.walk.fetched,
        transfer.deltasApplied, transfer.snapshotKeys >= 0 ? ", a snapshot of " + transfer.snapshotKeys + " keys" : "");
    startBackfill(transfer.walk, t);
    return Optional.of(ledger.blockchainInfo());
  }

  // ---------------------------------------------------------------- the chain below, in the background

  private void startBackfill(Walk walk, long top) {
    if (walk.verified <= 0 || walk.verified - 1 <= verifiedToGenesis) {
      if (walk.verified <= verifiedToGenesis + 1) {
        verifiedToGenesis = Math.max(verifiedToGenesis, top);
      }
      return;
    }
    backfill = walk;
    backfillTop = top;
    scheduleBackfill();
  }

  private void scheduleBackfill() {
    try {
      thread.execute(this::backfillStep);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void backfillStep() {
    Walk walk = backfill;
    if (walk == null || closed) {
      return;
    }
    long low = Math.max(verifiedToGenesis + 1, walk.verified - settings.blocksPerRequest());
    try {
      if (!walk.verifyDownTo(Math.max(0, low))) {
        if (waitingTransfers.get() == 0) {
          log.info("Blocks below {} could not be fetched now; they are checked again after the next transfer",
              walk.verified);
        }
        backfill = null;
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.warn("Checking the chain below block {} failed: {}", walk.verified, e.toString());
      backfill = null;
      return;
    }
    if (walk.verified <= verifiedToGenesis + 1) {
      verifiedToGenesis = backfillTop;
      backfill = null;
      if (walk.fetched > 0) {
        log.info("The chain is complete and verified from block {} down to genesis ({} blocks fetched)", backfillTop,
            walk.fetched);
      }
      return;
    }
    scheduleBackfill();
  }

  // ---------------------------------------------------------------- walking the hash chain down

  /**
   * Blocks {@code verified}..top are stored as the chain says; the next one down must hash to
   * {@code expectedBelow}. Walking down keeps local blocks that match and fetches the others.
   */
  private final class Walk {
    private final List<String> named;
    private final Set<String> bad = new HashSet<>();
    private long verified;
    private byte[] expectedBelow;
    private long lastProgressNanos = System.nanoTime();
    int fetched;

    Walk(long top, byte[] topHash, List<String> named) {
      this.named = named;
      this.verified = top + 1;
      this.expectedBelow = topHash;
    }

    /** At most one INFO line per {@code progressNanos}: how far down a long fetch has come. */
    private void progress(long low) {
      long now = System.nanoTime();
      if (now - lastProgressNanos >= progressNanos) {
        lastProgressNanos = now;
        log.info("State transfer: {} blocks fetched, chain verified down to block {} ({} blocks left down to {})",
            fetched, verified, Math.max(0, verified - low), low);
      }
    }

    /** Makes blocks {@code low}..top the verified chain; false when some block could not be had. */
    boolean verifyDownTo(long low) throws InterruptedException {
      while (verified > low) {
        long n = verified - 1;
        Optional<Block> local = ledger.block(n);
        if (local.isPresent() && Arrays.equals(Blocks.hash(local.get()), expectedBelow)) {
          accept(n, local.get());
          continue;
        }
        if (backfill == this && waitingTransfers.get() > 0) {
          return false; // a transfer is waiting: it goes first
        }
        long end = Math.max(low, n - settings.blocksChannelSize());
        if (!fetch(n, end)) {
          log.warn("No peer served block {} with hash {}", n, b64(expectedBelow));
          return false;
        }
        progress(low);
      }
      return true;
    }

    private void accept(long n, Block block) {
      verified = n;
      expectedBelow = block.getPreviousBlockHash().toByteArray();
    }

    /** Fetches blocks {@code from} down to {@code end} from the first peer that serves them correctly. */
    private boolean fetch(long from, long end) throws InterruptedException {
      for (String peer : candidates(named, bad)) {
        Optional<Replies<SyncBlocks>> request = network.requestBlocks(peer, from, end);
        if (request.isEmpty()) {
          continue;
        }
        try (Replies<SyncBlocks> replies = request.get()) {
          while (verified > end) {
            long n = verified - 1;
            Optional<SyncBlocks> reply = replies.next(settings.singleBlockTimeout());
            String wrong = reply.isEmpty() ? (replies.ended() ? "it disconnected" : "no block " + n + " within "
                + settings.singleBlockTimeout()) : check(reply.get(), n);
            if (wrong != null) {
              log.info("Peer {} failed to serve block {}: {}", peer, n, wrong);
              bad.add(peer);
              break;
            }
            Block block = reply.get().getBlocks(0);
            if (!store(n, block)) {
              return false;
            }
            accept(n, block);
          }
        }
        if (verified <= end) {
          return true;
        }
      }
      return false;
    }

    /** What is wrong with a reply that should carry block {@code n}, or {@code null}. */
    private String check(SyncBlocks reply, long n) {
      if (reply.getRange().getStart() != n || reply.getRange().getEnd() != n || reply.getBlocksCount() != 1) {
        return "got range " + reply.getRange().getStart() + ".." + reply.getRange().getEnd() + " with "
            + reply.getBlocksCount() + " blocks where block " + n + " was due";
      }
      byte[] hash = Blocks.hash(reply.getBlocks(0));
      if (!Arrays.equals(hash, expectedBelow)) {
        return "its block hashes to " + b64(hash) + ", the chain says " + b64(expectedBelow);
      }
      return null;
    }

    private boolean store(long n, Block block) {
      Optional<Block> local = ledger.block(n);
      if (local.isPresent() && Arrays.equals(Blocks.hash(local.get()), expectedBelow)) {
        return true; // the range reached a block this peer has already (the state's own block)
      }
      if (local.isPresent() && !settings.recoverDamage()) {
        log.error("Block {} in the ledger does not hash as the chain says, and statetransfer.recoverdamage is"
            + " false: not replacing it", n);
        return false;
      }
      if (local.isPresent()) {
        log.warn("Replacing block {}: it does not hash as the chain the other peers agree on says", n);
        if (n <= verifiedToGenesis) {
          verifiedToGenesis = -1;
        }
      }
      ledger.putRawBlock(block, n);
      fetched++;
      return true;
    }
  }

  /** The peers to ask, best first: the named ones, then the other connected validators shuffled. */
  private List<String> candidates(List<String> named, Set<String> bad) {
    List<String> connected = network.connectedValidators();
    List<String> out = new ArrayList<>();
    for (String p : named) {
      if (connected.contains(p) && !bad.contains(p) && !out.contains(p)) {
        out.add(p);
      }
    }
    List<String> others = new ArrayList<>(connected);
    others.removeAll(named);
    others.removeAll(bad);
    Collections.shuffle(others);
    out.addAll(others);
    return out;
  }

  // ---------------------------------------------------------------- state

  /** One transfer: the walk down the chain, and which peers failed at deltas or snapshots. */
  private final class Transfer {
    private final long t;
    private final byte[] targetHash;
    private final List<String> named;
    private final Walk walk;
    private final Set<String> badForDeltas = new HashSet<>();
    private final Set<String> badForSnapshot = new HashSet<>();
    int deltasApplied;
    long snapshotKeys = -1;

    Transfer(long t, byte[] targetHash, List<String> named) {
      this.t = t;
      this.targetHash = targetHash;
      this.named = named;
      this.walk = new Walk(t, targetHash, named);
    }

    boolean run() throws InterruptedException {
      long current = ledger.stateBlockNumber();
      boolean snapshot = current < 0 || current + settings.maxDeltas() < t;
      if (snapshot) {
        log.info("Taking a snapshot: the state is {}, the target block {} (statetransfer.maxdeltas {})",
            current < 0 ? "incomplete" : "at block " + current, t, settings.maxDeltas());
      } else {
        if (!walk.verifyDownTo(current)) {
          return false;
        }
        if (!ledger.stateMatchesBlock(current)) {
          log.info("The state does not hash to block {}'s state hash: taking a snapshot", current);
          snapshot = true;
        }
      }
      while (true) {
        String source = null;
        if (snapshot) {
          source = loadSnapshot();
          if (source == null) {
            return false;
          }
        }
        long reached = playDeltas(ledger.stateBlockNumber());
        if (reached == t) {
          return finalCheck();
        }
        if (source != null) {
          // its snapshot is older than the deltas the others still have: ask someone else next
          badForSnapshot.add(source);
        }
        log.info("No peer has the state deltas from block {} on: taking a snapshot", reached + 1);
        snapshot = true;
      }
    }

    private Set<String> bad(Set<String> forThisKind) {
      Set<String> all = new HashSet<>(forThisKind);
      all.addAll(walk.bad); // a peer that served a wrong block is asked nothing more
      return all;
    }

    /**
     * Applies the deltas of blocks {@code from}+1..t; returns t, or the last block applied when no
     * peer has the next delta.
     */
    private long playDeltas(long from) throws InterruptedException {
      long k = from + 1;
      while (k <= t) {
        long end = Math.min(t, k + settings.deltasChannelSize() - 1);
        for (String peer : candidates(named, bad(badForDeltas))) {
          k = fetchDeltas(peer, k, end);
          if (k > end) {
            break;
          }
        }
        if (k <= end) {
          return k - 1;
        }
      }
      return t;
    }

    /** Applies deltas {@code k}..{@code end} served by {@code peer}; returns the next block to apply. */
    private long fetchDeltas(String peer, long k, long end) throws InterruptedException {
      return readDeltas(peer, k, end, (n, delta) -> {
        try {
          ledger.applyStateDelta(n, delta);
          deltasApplied++;
          return null;
        } catch (LedgerException e) {
          return e.getMessage();
        }
      });
    }

    /** What is done with each delta read: {@code null}, or why it is refused. */
    private interface DeltaUse {
      String take(long block, StateDelta delta);
    }

    /**
     * Reads the deltas of blocks {@code k}..{@code end} from {@code peer} in order and hands each to
     * {@code use}; returns the block after the last one taken (end + 1 when all were). A missing,
     * misplaced, undecodable or refused delta ends the reading and marks the peer bad for deltas.
     */
    private long readDeltas(String peer, long k, long end, DeltaUse use) throws InterruptedException {
      Optional<Replies<SyncStateDeltas>> request = network.requestDeltas(peer, k, end);
      if (request.isEmpty()) {
        return k;
      }
      try (Replies<SyncStateDeltas> replies = request.get()) {
        while (k <= end) {
          Optional<SyncStateDeltas> reply = replies.next(settings.singleStateDeltaTimeout());
          String wrong = reply.isEmpty()
              ? (replies.ended() ? "it disconnected" : "no delta within " + settings.singleStateDeltaTimeout())
              : take(reply.get(), k, use);
          if (wrong != null) {
            log.info("Peer {} failed to serve the state delta of block {}: {}", peer, k, wrong);
            badForDeltas.add(peer);
            return k;
          }
          k++;
        }
      }
      return k;
    }

    private static String take(SyncStateDeltas reply, long k, DeltaUse use) {
      if (reply.getRange().getStart() != k || reply.getRange().getEnd() != k || reply.getDeltasCount() != 1) {
        return "got range " + reply.getRange().getStart() + ".." + reply.getRange().getEnd() + " with "
            + reply.getDeltasCount() + " deltas where block " + k + "'s was due";
      }
      try {
        return use.take(k, StateDelta.decode(reply.getDeltas(0).toByteArray()));
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }

    /** Loads a verified snapshot from some peer; returns that peer, or {@code null} if none could be had. */
    private String loadSnapshot() throws InterruptedException {
      for (String peer : candidates(named, bad(badForSnapshot))) {
        long block = snapshotFrom(peer);
        if (block < 0) {
          badForSnapshot.add(peer);
          continue;
        }
        if (block > t) {
          // The chain moved past the checkpoint the consenter targets (with no traffic, no newer
          // one comes): undo the deltas of the blocks above T, then check against T as usual.
          if (!rollBack(block)) {
            log.info("Peer {} sent a snapshot of block {}, above the target {}, and the deltas to take it back to {}"
                + " could not be had", peer, block, t, t);
            badForSnapshot.add(peer);
            continue;
          }
          block = t;
        }
        if (!walk.verifyDownTo(block)) {
          return null;
        }
        try {
          ledger.finishSnapshot(block);
          return peer;
        } catch (LedgerException e) {
          log.info("The snapshot from peer {} is wrong: {}", peer, e.getMessage());
          badForSnapshot.add(peer);
        }
      }
      log.warn("No peer sent a usable snapshot");
      return null;
    }

    /**
     * Takes the loaded (unverified) snapshot of block {@code top} back to block T by undoing the
     * deltas of blocks T+1..top, fetched from any peer: per key, the value before its first change
     * above T. Nothing here is trusted; the state must still hash to T's state hash afterwards.
     */
    private boolean rollBack(long top) throws InterruptedException {
      List<StateDelta> deltas = new ArrayList<>();
      long k = t + 1;
      while (k <= top) {
        long end = Math.min(top, k + settings.deltasChannelSize() - 1);
        boolean got = false;
        for (String peer : candidates(named, bad(badForDeltas))) {
          List<StateDelta> range = new ArrayList<>();
          if (readDeltas(peer, k, end, (n, delta) -> {
            range.add(delta);
            return null;
          }) > end) {
            deltas.addAll(range);
            got = true;
            break;
          }
        }
        if (!got) {
          return false;
        }
        k = end + 1;
      }
      StateDelta undo = new StateDelta();
      for (int i = deltas.size() - 1; i >= 0; i--) { // from the top down: the lowest block's previous value wins
        StateDelta d = deltas.get(i);
        for (String cc : d.chaincodeIds()) {
          for (var e : d.updates(cc).entrySet()) {
            undo.set(cc, e.getKey(), e.getValue().previousValue(), e.getValue().value());
          }
        }
      }
      if (!undo.isEmpty()) {
        ledger.applySnapshotPiece(undo);
      }
      return true;
    }

    /** Empties the state and loads {@code peer}'s snapshot into it; returns its block, or -1. */
    private long snapshotFrom(String peer) throws InterruptedException {
      Optional<Replies<SyncStateSnapshot>> request = network.requestSnapshot(peer);
      if (request.isEmpty()) {
        return -1;
      }
      long deadline = System.nanoTime() + settings.fullStateTimeout().toNanos();
      try (Replies<SyncStateSnapshot> replies = request.get()) {
        ledger.deleteAllState();
        StateDelta pending = new StateDelta();
        long block = -1;
        long sequence = 0;
        while (true) {
          long left = deadline - System.nanoTime();
          Optional<SyncStateSnapshot> reply = left <= 0 ? Optional.empty() : replies.next(Duration.ofNanos(left));
          if (reply.isEmpty()) {
            log.info("Peer {} did not complete its snapshot ({} keys received): {}", peer, sequence,
                replies.ended() ? "it disconnected" : "statetransfer.timeout.fullstate " + settings.fullStateTimeout());
            return -1;
          }
          SyncStateSnapshot piece = reply.get();
          if (sequence == 0) {
            block = piece.getBlockNumber();
          }
          if (piece.getSequence() != sequence || piece.getBlockNumber() != block) {
            log.info("Peer {} sent snapshot piece {} of block {} where piece {} of block {} was due", peer,
                piece.getSequence(), piece.getBlockNumber(), sequence, block);
            return -1;
          }
          if (piece.getDelta().isEmpty()) {
            if (!pending.isEmpty()) {
              ledger.applySnapshotPiece(pending);
            }
            snapshotKeys = sequence;
            return block;
          }
          try {
            StateDelta delta = StateDelta.decode(piece.getDelta().toByteArray());
            for (String cc : delta.chaincodeIds()) {
              for (var e : delta.updates(cc).entrySet()) {
                pending.set(cc, e.getKey(), e.getValue().value(), null);
              }
            }
          } catch (IllegalArgumentException e) {
            log.info("Peer {} sent a snapshot piece that does not decode: {}", peer, e.getMessage());
            return -1;
          }
          if (pending.size() >= SNAPSHOT_KEYS_PER_WRITE) {
            ledger.applySnapshotPiece(pending);
            pending = new StateDelta();
          }
          sequence++;
        }
      }
    }

    private boolean finalCheck() {
      BlockchainInfo info = ledger.blockchainInfo();
      if (info.getHeight() != t + 1 || !Arrays.equals(info.getCurrentBlockHash().toByteArray(), targetHash)
          || ledger.stateBlockNumber() != t || !ledger.stateMatchesBlock(t)) {
        log.warn("After the transfer the ledger is at height {} with its state at block {}: not the target {}",
            info.getHeight(), ledger.stateBlockNumber(), t);
        return false;
      }
      return true;
    }
  }
}
