package org.jpeer.devops;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jpeer.crypto.client.TCertKey;

/**
 * The transactions {@code EXP_PrepareForTx} prepared: a TCert and nonce whose binding the client
 * has already been told, kept until {@code EXP_ExecuteWithBinding} uses them. The original keeps
 * every one in memory for good; here at most {@link #MAX} wait (the oldest is dropped first) and
 * each is used once, so a binding names one transaction only.
 */
final class PreparedBindings {
  static final int MAX = 10_000;

  /** What a binding stands for. */
  record Prepared(String user, TCertKey tcert, byte[] nonce) {}

  private final Map<String, Prepared> byBinding = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
      return size() > MAX;
    }
  };

  /** The original's key: the standard base64 of the binding. */
  static String key(byte[] binding) {
    return Base64.getEncoder().encodeToString(binding);
  }

  synchronized void put(byte[] binding, Prepared prepared) {
    byBinding.put(key(binding), prepared);
  }

  /** Takes what {@code binding} was prepared for, or fails with the original's text. */
  synchronized Prepared take(byte[] binding) throws DevopsException {
    Prepared p = byBinding.remove(key(binding));
    if (p == null) {
      throw new DevopsException("Transaction handler not found for binding key = " + key(binding));
    }
    return p;
  }
}
