package org.jpeer.config;

/** The {@code vm.*} keys: where the Docker engine is and how chaincode containers run. */
public record VmSettings(String endpoint, String networkMode, long memoryBytes) {

  static VmSettings from(Settings s) {
    return new VmSettings(
        s.nonBlank("vm.endpoint"),
        s.nonBlank("vm.docker.hostConfig.NetworkMode"),
        s.longIn("vm.docker.hostConfig.Memory", 0, Long.MAX_VALUE));
  }
}
