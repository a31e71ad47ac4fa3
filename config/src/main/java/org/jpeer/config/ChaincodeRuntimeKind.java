package org.jpeer.config;

/**
 * {@code chaincode.runtime} (a jpeer key): how the peer runs chaincode in network mode — as a local
 * child process ({@code process}, needs no Docker engine) or in a container ({@code docker}, on the
 * engine at {@code vm.endpoint}).
 */
public enum ChaincodeRuntimeKind {
  PROCESS,
  DOCKER
}
