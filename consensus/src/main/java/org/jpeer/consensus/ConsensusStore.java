package org.jpeer.consensus;

import java.util.Collection;
import java.util.Map;

/**
 * Durable records of a consenter (Fabric's {@code StatePersistor}), kept by the peer in the ledger's
 * {@code persistCF} under the key prefix {@code consensus.}. Keys here are given without that prefix.
 */
public interface ConsensusStore {

  /** Every record whose key starts with {@code prefix}, keyed by the whole key (without {@code consensus.}). */
  Map<String, byte[]> readAll(String prefix);

  /**
   * Writes {@code puts} and removes {@code deletes} in one atomic, synced write: after a crash either
   * all of it is on disk or none of it. A key in both is written.
   */
  void write(Map<String, byte[]> puts, Collection<String> deletes);
}
