package org.jpeer.peer.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpeer.consensus.ConsensusStore;
import org.jpeer.ledger.PeerLedger;

/**
 * The consenter's durable records in the ledger's {@code persistCF}, each key stored as
 * {@code consensus.} + key, as the original's StatePersistor does (ledger.md §8): a jpeer ledger and
 * a Fabric v0.6 database hold the same keys. Writes are one atomic, synced RocksDB write.
 * Thread-safe.
 */
public final class LedgerConsensusStore implements ConsensusStore {

  /** The original's key prefix in persistCF. */
  public static final String PREFIX = "consensus.";

  private final PeerLedger ledger;

  public LedgerConsensusStore(PeerLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Map<String, byte[]> readAll(String prefix) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    ledger.persistedWithPrefix(PREFIX + prefix).forEach((rest, value) -> out.put(prefix + rest, value));
    return out;
  }

  @Override
  public void write(Map<String, byte[]> puts, Collection<String> deletes) {
    Map<String, byte[]> stored = new LinkedHashMap<>();
    puts.forEach((key, value) -> stored.put(PREFIX + key, value));
    List<String> gone = new ArrayList<>(deletes.size());
    for (String key : deletes) {
      gone.add(PREFIX + key);
    }
    ledger.persistAll(stored, gone);
  }
}
