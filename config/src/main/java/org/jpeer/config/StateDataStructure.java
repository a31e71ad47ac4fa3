package org.jpeer.config;

/** {@code ledger.state.dataStructure.name}: how the world-state hash is computed. */
public enum StateDataStructure {
  BUCKETTREE,
  TRIE,
  RAW
}
