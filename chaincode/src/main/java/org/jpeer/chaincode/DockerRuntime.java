package org.jpeer.chaincode;

import java.util.Optional;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chaincode in Docker containers, as Fabric v0.6 does: the code package is the build context
 * of image {@code <prefix>-<name>} (built when missing, never pulled), and the container of the
 * same name runs {@code java -jar chaincode.jar -a <peerAddress> -i <name>} (GOLANG:
 * {@code <chaincode.installpath><name> -peer.address=<peerAddress>}) with host networking
 * so that it can dial the peer. Containers are stopped and removed when the chaincode stops and
 * when the peer stops; images are kept for the next start.
 */
final class DockerRuntime implements ChaincodeRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
  private static final long BUILD_TIMEOUT_MINUTES = 10;

  private final ChaincodeOptions options;
  private final DockerClient docker;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();

  DockerRuntime(ChaincodeOptions options) {
    this.options = options;
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(options.dockerEndpoint()).build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(10)).build();
    this.docker = DockerClientImpl.getInstance(config, http);
  }

  @Override
  public Optional<String> problem() {
    try {
      docker.pingCmd().exec();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("the Docker engine at " + options.dockerEndpoint() + " does not answer: "
          + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  /** The original's VM name: image tag and (with ':' made '_') container name. */
  String vmName(String name) {
    String prefix = options.vmNamePrefix();
    return prefix.isEmpty() ? name : prefix + "-" + name;
  }

  @Override
  public CompletableFuture<String> start(String name, ChaincodeDeploymentSpec spec)
      throws ChaincodeException {
    String image = vmName(name);
    String container = image.replace(':', '_');
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    try {
      removeContainer(container);
      checkShim(name, spec);
      ensureImage(name, image, spec);
      String id = docker.createContainerCmd(image).withName(container)
          .withCmd(command(name, spec))
          .withEnv("CORE_CHAINCODE_ID_NAME=" + name, "CORE_PEER_TLS_ENABLED=false",
              ProcessRuntime.SHIM_DIAL_TIMEOUT_ENV + "=" + options.startupTimeout().toMillis())
          .withHostConfig(hostConfig()).exec().getId();
      docker.startContainerCmd(id).exec();
      started.add(container);
      LOG.info("Started chaincode {} in container {}", ProcessRuntime.shortName(name),
          container.length() > 40 ? container.substring(0, 40) + "..." : container);
      // exits surface as the stream closing; waiting on the container would pin a connection
      return new CompletableFuture<>();
    } catch (DockerException | IllegalArgumentException e) {
      throw new ChaincodeException("chaincode " + name + ": Docker failed to start its container "
          + "(engine " + options.dockerEndpoint() + "): " + e.getMessage(), e);
    } catch (RuntimeException e) { // connection refused and the like arrive unchecked
      throw new ChaincodeException("chaincode " + name + ": cannot reach the Docker engine at "
          + options.dockerEndpoint() + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** The original's command line (chaincode.md §6.3): GOLANG runs its installed binary. */
  private List<String> command(String name, ChaincodeDeploymentSpec spec) {
    if (spec.getChaincodeSpec().getType() == ChaincodeSpec.Type.GOLANG) {
      return List.of(options.golang().installPath() + name, "-peer.address=" + options.peerAddress());
    }
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(options.java().jvmOptions());
    command.addAll(List.of("-jar", CodePackage.JAR_ENTRY, "-a", options.peerAddress(), "-i", name));
    return command;
  }

  /**
   * A thin jar finds the shim runtime in the base image's /root (docker/build-javaenv.sh puts this
   * version's there): one built against another version would only fail to load its shim in the
   * container, long after, so it is refused here.
   */
  private static void checkShim(String name, ChaincodeDeploymentSpec spec) throws ChaincodeException {
    if (spec.getChaincodeSpec().getType() == ChaincodeSpec.Type.GOLANG || spec.getCodePackage().isEmpty()) {
      return;
    }
    Optional<String> required;
    try {
      Optional<byte[]> jar = CodePackage.read(spec.getCodePackage().toByteArray(), CodePackage.JAR_ENTRY);
      required = jar.isEmpty() ? Optional.empty() : ShimRuntime.requiredBy(jar.get());
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + name + ": cannot read its code package: "
          + e.getMessage(), e);
    }
    if (required.isPresent()) {
      ShimRuntime.checkVersion(name, required.get(), "the base image of this peer's version provides");
    }
  }

  private void ensureImage(String name, String image, ChaincodeDeploymentSpec spec)
      throws ChaincodeException {
    try {
      docker.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException e) {
      LOG.debug("image {} not found; building it", image);
    }
    LOG.info("Building image {} for chaincode {} (first launch here; later launches reuse it)", image,
        ProcessRuntime.shortName(name));
    long started = System.nanoTime();
    if (spec.getCodePackage().isEmpty()) {
      throw new ChaincodeException("chaincode " + name + ": image " + image
          + " does not exist and the deploy transaction has no code package to build it from");
    }
    StringBuilder output = new StringBuilder(); // kept for a failure, as the original logs it then
    try {
      docker.buildImageCmd(new ByteArrayInputStream(spec.getCodePackage().toByteArray()))
          .withTags(Set.of(image)).withPull(false).withRemove(true).withForcerm(true)
          .exec(new BuildImageResultCallback() {
            @Override
            public void onNext(com.github.dockerjava.api.model.BuildResponseItem item) {
              // the builder's "Step 2/5 : COPY ..." lines: progress an operator waits on
              String line = item.getStream();
              if (line != null && line.startsWith("Step ")) {
                LOG.info("image {}: {}", image, line.strip());
              }
              if (line != null && output.length() < 256 * 1024) {
                output.append(line);
              }
              super.onNext(item);
            }
          })
          .awaitImageId(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      LOG.info("Built image {} in {} ms", image, (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("Building image {} failed; its output:\n{}", image, output);
      removeIntermediates(output.toString());
      String compiler = GoBuild.firstError(output.toString());
      if (spec.getChaincodeSpec().getType() == ChaincodeSpec.Type.GOLANG
          && compiler.matches("\\S+\\.go:\\d+.*")) {
        // the RUN line's go install failed: the compiler's first error says why
        throw new ChaincodeException("chaincode " + name + ": building image " + image
            + " failed: go install failed: " + compiler, e);
      }
      throw new ChaincodeException("chaincode " + name + ": building image " + image + " failed "
          + baseImageHint(spec) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the untagged images a failed build committed (its " ---> id" lines, last first), so
   * that no half-built image stays. An image that another image or container still uses is
   * refused by the engine and stays: that is a layer a finished build shares.
   */
  private void removeIntermediates(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ ---> ([0-9a-f]{12,64})\\s*$")
        .matcher(output);
    java.util.List<String> ids = new java.util.ArrayList<>();
    while (m.find()) {
      ids.add(0, m.group(1));
    }
    for (String id : ids) {
      try {
        if (docker.inspectImageCmd(id).exec().getRepoTags() == null
            || docker.inspectImageCmd(id).exec().getRepoTags().isEmpty()) {
          docker.removeImageCmd(id).exec();
        }
      } catch (RuntimeException inUse) {
        LOG.debug("intermediate image {} stays: {}", id, inUse.getMessage());
      }
    }
  }

  private String baseImageHint(ChaincodeDeploymentSpec spec) {
    if (spec.getChaincodeSpec().getType() == ChaincodeSpec.Type.GOLANG) {
      return "(is the base image of chaincode.golang.Dockerfile there? docker/build-goenv.sh makes "
          + "jpeer/goenv:latest)";
    }
    return "(is the base image '" + options.baseImage() + "' there? docker/build-javaenv.sh makes it)";
  }

  private HostConfig hostConfig() {
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(options.networkMode().isEmpty() ? "host" : options.networkMode());
    if (options.memoryBytes() > 0) {
      host.withMemory(options.memoryBytes());
    }
    return host;
  }

  @Override
  public void stop(String name) {
    String container = vmName(name).replace(':', '_');
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    try {
      removeContainer(container);
      started.remove(container);
    } finally {
      lock.unlock();
    }
  }

  /** Stop (no grace), kill, force-remove; every step may find nothing to do. */
  private void removeContainer(String container) {
    try {
      docker.stopContainerCmd(container).withTimeout(0).exec();
    } catch (RuntimeException e) {
      LOG.trace("stop {}: {}", container, e.toString());
    }
    try {
      docker.killContainerCmd(container).exec();
    } catch (RuntimeException e) {
      LOG.trace("kill {}: {}", container, e.toString());
    }
    try {
      docker.removeContainerCmd(container).withForce(true).exec();
    } catch (RuntimeException e) {
      LOG.trace("remove {}: {}", container, e.toString());
    }
  }

  @Override
  public void close() {
    for (String container : Set.copyOf(started)) {
      removeContainer(container);
      started.remove(container);
    }
    try {
      docker.close();
    } catch (IOException e) {
      LOG.debug("closing the Docker client: {}", e.toString());
    }
  }
}
