package org.jpeer.chaincode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The shim runtime: the jar ({@code jpeer-shim-runtime-<version>.jar}, made by the shim module)
 * holding the shim, the protos, gRPC and Netty, which the peer provides to Java chaincode so that a
 * chaincode jar, and with it a deploy transaction, carries only the chaincode's own classes. A thin
 * chaincode jar names the runtime in its manifest's {@code Class-Path}; the process runtime links
 * this peer's copy beside the unpacked jar under that name, the Docker base image holds it in
 * {@code /root}. A jar without such an entry (every jar deployed before, which carries its own
 * shim) runs as it always did.
 */
final class ShimRuntime {
  static final String PREFIX = "jpeer-shim-runtime-";
  /** The file name of the runtime of this version. */
  static final String FILE_NAME = fileName();

  private ShimRuntime() {}

  /**
   * This peer's copy: {@code configured} if given, else the first {@code shim/<FILE_NAME>} or
   * {@code shim/target/<FILE_NAME>} in one of the four folders above this class's jar or class
   * folder (a checkout: {@code <root>/shim/target}; an installation: {@code <home>/shim} beside
   * {@code <home>/lib}).
   */
  static Optional<Path> locate(Optional<Path> configured) {
    if (configured.isPresent()) {
      return configured;
    }
    CodeSource source = ShimRuntime.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    Path here;
    try {
      here = Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    for (Path dir = here.getParent(); dir != null && here.getNameCount() - dir.getNameCount() <= 4;
        dir = dir.getParent()) {
      for (Path candidate : List.of(dir.resolve("shim").resolve(FILE_NAME),
          dir.resolve("shim").resolve("target").resolve(FILE_NAME))) {
        if (Files.isRegularFile(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The shim runtime {@code jar}'s manifest names in its Class-Path, if it names one. */
  static Optional<String> requiredBy(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      return requiredBy(file.getManifest());
    }
  }

  /** As {@link #requiredBy(Path)}, for a jar in memory (its manifest one of its first entries). */
  static Optional<String> requiredBy(byte[] jar) throws IOException {
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar), false)) {
      return requiredBy(in.getManifest());
    }
  }

  private static Optional<String> requiredBy(Manifest manifest) {
    if (manifest == null) {
      return Optional.empty();
    }
    String classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    if (classPath == null) {
      return Optional.empty();
    }
    for (String entry : classPath.trim().split("\\s+")) {
      String fileName = entry.substring(entry.lastIndexOf('/') + 1);
      if (fileName.startsWith(PREFIX) && fileName.endsWith(".jar")) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /**
   * Fails when a chaincode jar asks for a shim runtime this peer does not provide: a chaincode
   * built against another version, or no runtime found.
   */
  static void check(String chaincode, String required, Optional<Path> ours) throws ChaincodeException {
    checkVersion(chaincode, required, "this peer provides");
    if (ours.isEmpty()) {
      throw new ChaincodeException("chaincode " + ProcessRuntime.shortName(chaincode) + " needs the "
          + "shim runtime " + FILE_NAME + ", which this peer did not find (build the shim module, or "
          + "set chaincode.java.shimjar to the jar)");
    }
    if (!Files.isRegularFile(ours.get())) {
      throw new ChaincodeException("chaincode " + ProcessRuntime.shortName(chaincode) + " needs the "
          + "shim runtime " + FILE_NAME + ", but " + ours.get() + " (chaincode.java.shimjar) is not a "
          + "readable file");
    }
  }

  /** Fails when {@code required} is not this version's runtime, which {@code provider} provides. */
  static void checkVersion(String chaincode, String required, String provider)
      throws ChaincodeException {
    if (!required.equals(FILE_NAME)) {
      throw new ChaincodeException("chaincode " + ProcessRuntime.shortName(chaincode) + " was built "
          + "against the shim runtime " + required + "; " + provider + " " + FILE_NAME
          + ": rebuild the chaincode against it, or package the shim into the jar");
    }
  }

  /**
   * Makes {@code dir} (where {@code jar} was unpacked) provide the shim runtime the jar names: a
   * symbolic link to this peer's copy. A jar that names none is left alone.
   *
   * @return whether the jar runs this peer's shim runtime (it named one)
   */
  static boolean provide(String chaincode, Path dir, Path jar, Optional<Path> ours)
      throws ChaincodeException {
    Optional<String> required;
    try {
      required = requiredBy(jar);
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + ProcessRuntime.shortName(chaincode)
          + ": its chaincode.jar is not a readable jar: " + e.getMessage(), e);
    }
    if (required.isEmpty()) {
      return false;
    }
    check(chaincode, required.get(), ours);
    Path link = dir.resolve(required.get());
    try {
      Path tmp = dir.resolve(required.get() + ".link.tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, ours.get().toAbsolutePath());
      Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ChaincodeException("chaincode " + ProcessRuntime.shortName(chaincode) + ": cannot "
          + "link the shim runtime " + ours.get() + " into " + dir + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static String fileName() {
    Properties p = new Properties();
    try (InputStream in = ShimRuntime.class.getResourceAsStream("shim-runtime.properties")) {
      if (in == null) {
        throw new IllegalStateException("shim-runtime.properties is missing from the chaincode module");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("file");
  }
}
