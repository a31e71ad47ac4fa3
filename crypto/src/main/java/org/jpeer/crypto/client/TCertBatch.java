package org.jpeer.crypto.client;

import java.util.List;

/**
 * A batch from the TCA: its TCerts with their derived keys, and the owner's KDF key the batch came
 * with (the same for every batch of one member), which later re-derives the key of any of its TCerts.
 */
public record TCertBatch(byte[] kdfKey, List<TCertKey> tcerts) {
  public TCertBatch {
    kdfKey = kdfKey.clone();
    tcerts = List.copyOf(tcerts);
  }

  @Override
  public byte[] kdfKey() {
    return kdfKey.clone();
  }

  @Override
  public String toString() {
    return "TCertBatch[" + tcerts.size() + " TCerts]";
  }
}
