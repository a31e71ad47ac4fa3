package org.jpeer.chaincode;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;

/**
 * Turns a deploy request's {@link ChaincodeSpec} into a {@link ChaincodeDeploymentSpec}: validates
 * the platform, builds the code package and derives the name.
 *
 * <p>GOLANG: see {@link GoPackager}.
 *
 * <p>JAVA path rule: the path (relative paths are taken from the peer's working directory) is
 * either a runnable jar file, or a folder holding exactly one {@code *.jar} file at its top level
 * (other files in the folder are ignored). The package holds that jar as {@code chaincode.jar} and
 * a generated {@code Dockerfile}; the name is derived from the constructor arguments and the jar's
 * content.
 */
final class DeployPreparer {
  private final ChaincodeOptions options;

  DeployPreparer(ChaincodeOptions options) {
    this.options = options;
  }

  ChaincodeDeploymentSpec prepare(ChaincodeSpec spec) throws ChaincodeException {
    if (options.mode() == ChaincodeOptions.Mode.DEV) {
      String name = spec.getChaincodeID().getName();
      if (name.isEmpty()) {
        throw new ChaincodeException("deploy in dev mode needs the chaincode name "
            + "(chaincodeID.name) the running chaincode registered with");
      }
      return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(spec).build();
    }
    return switch (spec.getType()) {
      case JAVA -> prepareJava(spec);
      case GOLANG -> prepareGo(spec);
      case CAR -> throw new ChaincodeException(
          "chaincode type CAR is not supported by jpeer; use GOLANG (1) or JAVA (4)");
      default -> throw new ChaincodeException("Unknown chaincodeType " + spec.getType()
          + ": use GOLANG (1) or JAVA (4)");
    };
  }

  /** GOLANG by path from the peer's GOPATH, packaged and named as the original does (§3.1, §4). */
  private ChaincodeDeploymentSpec prepareGo(ChaincodeSpec spec) throws ChaincodeException {
    GoPackager.Result result = new GoPackager(options.golang(), options.deployTimeout()).pack(spec);
    ChaincodeSpec named = spec.toBuilder()
        .setChaincodeID(spec.getChaincodeID().toBuilder().setName(result.name())).build();
    return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(named)
        .setCodePackage(ByteString.copyFrom(result.codePackage()))
        .setExecEnv(ChaincodeDeploymentSpec.ExecutionEnvironment.DOCKER).build();
  }

  private ChaincodeDeploymentSpec prepareJava(ChaincodeSpec spec) throws ChaincodeException {
    Path jar = locateJar(spec.getChaincodeID().getPath());
    byte[] content;
    try {
      content = Files.readAllBytes(jar);
    } catch (IOException e) {
      throw new ChaincodeException("cannot read chaincode jar " + jar + ": " + e.getMessage(), e);
    }
    String name = ChaincodeNames.derive(spec.getCtorMsg(), List.of(content));
    byte[] pkg;
    try {
      pkg = CodePackage.write(Map.of(CodePackage.JAR_ENTRY, content,
          CodePackage.DOCKERFILE_ENTRY, CodePackage.javaDockerfile(options.baseImage())));
    } catch (IOException e) {
      throw new ChaincodeException("cannot package chaincode " + jar + ": " + e.getMessage(), e);
    }
    ChaincodeSpec named = spec.toBuilder()
        .setChaincodeID(spec.getChaincodeID().toBuilder().setName(name)).build();
    return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(named)
        .setCodePackage(ByteString.copyFrom(pkg))
        .setExecEnv(ChaincodeDeploymentSpec.ExecutionEnvironment.DOCKER).build();
  }

  static Path locateJar(String pathText) throws ChaincodeException {
    if (pathText == null || pathText.isBlank()) {
      throw new ChaincodeException("chaincode path is empty: give a runnable jar or a folder "
          + "holding exactly one jar (chaincodeID.path)");
    }
    Path path;
    try {
      path = Path.of(pathText).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ChaincodeException("chaincode path '" + pathText + "' is not a valid path: "
          + e.getMessage());
    }
    if (Files.isRegularFile(path)) {
      if (!path.getFileName().toString().endsWith(".jar")) {
        throw new ChaincodeException("chaincode path " + path + " is a file but not a .jar");
      }
      return path;
    }
    if (!Files.isDirectory(path)) {
      throw new ChaincodeException("chaincode path " + path + " does not exist");
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.jar")) {
      for (Path p : dir) {
        if (Files.isRegularFile(p)) {
          jars.add(p.getFileName());
        }
      }
    } catch (IOException e) {
      throw new ChaincodeException("cannot list chaincode folder " + path + ": " + e.getMessage(),
          e);
    }
    if (jars.size() != 1) {
      jars.sort(null);
      throw new ChaincodeException("chaincode folder " + path + " must hold exactly one .jar file "
          + "at its top level, found " + (jars.isEmpty() ? "none" : jars));
    }
    return path.resolve(jars.get(0));
  }
}
