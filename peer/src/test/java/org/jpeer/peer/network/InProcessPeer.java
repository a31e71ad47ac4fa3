package org.jpeer.peer.network;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpeer.config.ConfigInputs;
import org.jpeer.config.HostPort;
import org.jpeer.config.JpeerConfig;
import org.jpeer.peer.node.PeerNode;
import org.jpeer.peer.node.RunFiles;

/**
 * A whole peer started in this JVM with {@link PeerNode#start}: the real composition on 127.0.0.1
 * port 0 (or a given port, to come back where it was), its own {@code peer.fileSystemPath}, fast
 * discovery, and the environment a test adds ({@code CORE_*} keys).
 */
public final class InProcessPeer implements AutoCloseable {
  public final String id;
  public final Path fileSystemPath;
  private final PeerNode node;
  private ManagedChannel channel;

  private InProcessPeer(String id, Path fileSystemPath, PeerNode node) {
    this.id = id;
    this.fileSystemPath = fileSystemPath;
    this.node = node;
  }

  /** The environment of a test peer: loopback, free ports, small bucket tree, fast discovery and batches. */
  public static Map<String, String> env(Path fileSystemPath, String id, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("CORE_PEER_ID", id);
    env.put("CORE_PEER_LISTENADDRESS", "127.0.0.1:" + port);
    env.put("CORE_PEER_ADDRESS", "127.0.0.1:" + port);
    env.put("CORE_PEER_FILESYSTEMPATH", fileSystemPath.toString());
    env.put("CORE_REST_ADDRESS", "127.0.0.1:0");
    env.put("CORE_PEER_VALIDATOR_EVENTS_ADDRESS", "127.0.0.1:0");
    env.put("CORE_LEDGER_STATE_DATASTRUCTURE_CONFIGS_NUMBUCKETS", "1009");
    env.put("CORE_PEER_DISCOVERY_PERIOD", "200ms");
    env.put("CORE_PEER_DISCOVERY_TOUCHPERIOD", "200ms");
    env.put("CORE_NOOPS_BLOCK_WAIT", "100ms");
    return env;
  }

  public static InProcessPeer start(Path dir, String id, Map<String, String> extra) throws Exception {
    return start(dir, id, 0, extra);
  }

  public static InProcessPeer start(Path dir, String id, int port, Map<String, String> extra) throws Exception {
    Path fs = dir.resolve(id);
    Map<String, String> env = env(fs, id, port);
    env.putAll(extra);
    JpeerConfig config = JpeerConfig.load(new ConfigInputs(env, dir, List.of()));
    return new InProcessPeer(id, fs, PeerNode.start(config));
  }

  public HostPort grpc() {
    return node.addresses().get(RunFiles.GRPC);
  }

  public URI rest() {
    return URI.create("http://" + node.addresses().get("rest").dialable());
  }

  public synchronized ManagedChannel channel() {
    if (channel == null) {
      channel = NettyChannelBuilder.forAddress(grpc().host(), grpc().port()).usePlaintext()
          .maxInboundMessageSize(100 * 1024 * 1024).build();
    }
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      if (channel != null) {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        channel = null;
      }
    }
    node.close();
  }
}
