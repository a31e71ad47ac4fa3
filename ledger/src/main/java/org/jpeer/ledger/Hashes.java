package org.jpeer.ledger;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * The one hash of Fabric v0.6: SHAKE256 squeezed to 64 bytes (not SHA3-256, not SHA3-512). Used for
 * block hashes, state hashes and transaction delta hashes.
 */
public final class Hashes {

  /** Length in bytes of every hash the ledger stores. */
  public static final int LENGTH = 64;

  // A digest per thread: the executor hashes thousands of bucket nodes per block.
  private static final ThreadLocal<SHAKEDigest> DIGEST = ThreadLocal.withInitial(() -> new SHAKEDigest(256));

  private Hashes() {}

  public static byte[] shake256(byte[] data) {
    return shake256(data, 0, data.length);
  }

  public static byte[] shake256(byte[] data, int offset, int length) {
    SHAKEDigest digest = DIGEST.get();
    digest.reset();
    digest.update(data, offset, length);
    byte[] out = new byte[LENGTH];
    digest.doFinal(out, 0, LENGTH);
    return out;
  }
}
