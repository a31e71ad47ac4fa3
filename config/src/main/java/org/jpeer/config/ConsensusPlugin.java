package org.jpeer.config;

/** {@code peer.validator.consensus.plugin}. */
public enum ConsensusPlugin {
  NOOPS,
  PBFT
}
