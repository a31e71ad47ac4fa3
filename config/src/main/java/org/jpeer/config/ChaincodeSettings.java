package org.jpeer.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The {@code chaincode.*} keys. Bare numbers are milliseconds for the timeouts and seconds for the
 * keepalive, as in the original; Go durations ({@code 30s}) are accepted too.
 *
 * @param keepalive zero when keepalives are off
 * @param runtime how network-mode chaincode runs (jpeer key {@code chaincode.runtime})
 * @param javaBaseImage the image a JAVA chaincode's container is built on (jpeer key
 *     {@code chaincode.java.baseimage}; {@code docker/build-javaenv.sh} makes it)
 * @param golangDockerfile {@code chaincode.golang.Dockerfile}, the template of a Go chaincode's
 *     Dockerfile
 * @param golangGopath jpeer key {@code chaincode.golang.gopath}: where Go chaincode is packaged
 *     from; empty means the peer's {@code GOPATH} environment variable
 * @param golangGo jpeer key {@code chaincode.golang.go}: the go executable
 * @param javaShimJar jpeer key {@code chaincode.java.shimjar}: the shim runtime jar provided to thin
 *     Java chaincode; empty means the one beside the peer
 * @param javaJvmOptions jpeer key {@code chaincode.java.jvmoptions}: the Java chaincode JVM's options
 * @param javaUnixSocket jpeer key {@code chaincode.java.unixsocket}: serve chaincode streams on
 *     {@code <peer.fileSystemPath>/chaincode.sock} too, which thin Java chaincode dials
 */
public record ChaincodeSettings(
    ChaincodeMode mode,
    Duration startupTimeout,
    Duration deployTimeout,
    Duration executeTimeout,
    Duration keepalive,
    String installPath,
    ChaincodeRuntimeKind runtime,
    String javaBaseImage,
    String golangDockerfile,
    String golangGopath,
    String golangGo,
    String javaShimJar,
    String javaJvmOptions,
    boolean javaUnixSocket) {

  static ChaincodeSettings from(Settings s) {
    return new ChaincodeSettings(
        s.oneOf("chaincode.mode", ChaincodeMode.class),
        positive(s, "chaincode.startuptimeout", ChronoUnit.MILLIS),
        positive(s, "chaincode.deploytimeout", ChronoUnit.MILLIS),
        positive(s, "chaincode.executetimeout", ChronoUnit.MILLIS),
        s.duration("chaincode.keepalive", ChronoUnit.SECONDS),
        s.string("chaincode.installpath"),
        s.oneOf("chaincode.runtime", ChaincodeRuntimeKind.class),
        s.nonBlank("chaincode.java.baseimage"),
        s.string("chaincode.golang.Dockerfile"),
        s.string("chaincode.golang.gopath").trim(),
        s.nonBlank("chaincode.golang.go"),
        s.string("chaincode.java.shimjar").trim(),
        s.string("chaincode.java.jvmoptions").trim(),
        s.bool("chaincode.java.unixsocket"));
  }

  private static Duration positive(Settings s, String key, ChronoUnit bareUnit) {
    Duration d = s.duration(key, bareUnit);
    if (d.isZero()) {
      throw ConfigException.invalid(s.value(key), "expected a duration greater than zero");
    }
    return d;
  }
}
