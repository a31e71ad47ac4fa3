package org.jpeer.consensus;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The consensus store as the ledger keeps it, in memory (consensus does no I/O): every write is
 * atomic; {@link #writes} counts them. The ledger's own store is tested in the ledger and the peer.
 */
public final class MemoryStore implements ConsensusStore {
  public final Map<String, byte[]> records = new TreeMap<>();
  public int writes;

  @Override
  public synchronized Map<String, byte[]> readAll(String prefix) {
    Map<String, byte[]> out = new TreeMap<>();
    records.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }

  @Override
  public synchronized void write(Map<String, byte[]> puts, Collection<String> deletes) {
    writes++;
    deletes.forEach(records::remove);
    records.putAll(puts);
  }

  public synchronized int size() {
    return records.size();
  }
}
