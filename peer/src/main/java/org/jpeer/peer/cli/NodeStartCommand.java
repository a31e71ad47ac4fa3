package org.jpeer.peer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jpeer.config.Flag;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.node.PeerNode;
import org.jpeer.peer.node.PeerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peer node start}: runs the peer until it is stopped. */
@Command(name = "start", description = "Starts the node.")
final class NodeStartCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NodeStartCommand.class);
  static final String CHAINCODE_DEV = "--peer-chaincodedev";

  @Mixin CommonOptions common;

  @Option(
      names = CHAINCODE_DEV,
      description =
          "Whether peer in chaincode development mode (sets chaincode.mode=dev and uses the noops"
              + " consenter).")
  boolean chaincodeDev;

  private final CliContext context;

  NodeStartCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    List<Flag> flags = new ArrayList<>();
    if (chaincodeDev) {
      // as the original: dev mode forces noops even when pbft is configured
      flags.add(new Flag("chaincode.mode", "dev", CHAINCODE_DEV));
      flags.add(new Flag("peer.validator.consensus.plugin", "noops", CHAINCODE_DEV));
    }
    JpeerConfig config = context.loadConfig("node", flags);
    if (chaincodeDev) {
      log.info("Running in chaincode development mode; consensus forced to noops");
    }
    config.userDir().ifPresentOrElse(
        dir -> log.info("Using configuration from {}", dir.resolve("core.yaml")),
        () -> log.info("No core.yaml in PEER_CFG_PATH or the working directory; using the bundled defaults"));
    // The hook is in place before the peer opens anything: a SIGTERM that arrives while it starts,
    // or right after it has announced its addresses, must still stop it cleanly.
    AtomicReference<PeerNode> started = new AtomicReference<>();
    CountDownLatch startFinished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      awaitQuietly(startFinished);
      PeerNode running = started.get();
      if (running != null) {
        running.close();
      }
    }, "peer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PeerNode node;
    try {
      node = PeerNode.start(config);
      started.set(node);
    } catch (PeerStartException e) {
      throw CliException.failure(e.getMessage(), e);
    } finally {
      startFinished.countDown();
    }
    node.awaitStopped();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM/SIGINT: the hook itself stopped the node
    }
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
