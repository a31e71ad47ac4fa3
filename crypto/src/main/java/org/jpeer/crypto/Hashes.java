package org.jpeer.crypto;

/**
 * The one hash of Fabric v0.6: SHAKE256 squeezed to 64 bytes (not SHA3-256, not SHA3-512). Used for
 * block hashes, state hashes and transaction delta hashes.
 */
public final class Hashes {

  /** Length in bytes of every hash the ledger stores. */
  public static final int LENGTH = 64;

  // A sponge per thread: the executor and the hashing thread hash thousands of bucket nodes per block.
  private static final ThreadLocal<Shake256> SPONGE = ThreadLocal.withInitial(Shake256::new);

  private Hashes() {}

  public static byte[] shake256(byte[] data) {
    return shake256(data, 0, data.length);
  }

  public static byte[] shake256(byte[] data, int offset, int length) {
    return SPONGE.get().digest64(data, offset, length);
  }
}
