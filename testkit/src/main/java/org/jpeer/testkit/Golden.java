package org.jpeer.testkit;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Values known from Fabric v0.6 itself (ledger.md §1-§3 of the reference): an end-to-end test
 * compares with these instead of accepting any non-empty value. The ledger's GoldenVectorsTest
 * proves them against the reference; they are repeated here because that module cannot depend on
 * the kit.
 */
public final class Golden {
  private Golden() {}

  /** SHAKE256 squeezed to 64 bytes of nothing, base64. */
  public static final String EMPTY_HASH_BASE64 =
      "RrndKwuojRMjOz/rdD7rJD/NUupiuBuCtQwnZG7Vdi/XXcTd2MDyAMsFAZ1ntZL2/IIcSUeatIZAKS6ss7fEvg==";

  /**
   * The hash of every peer's genesis block: the block without nonHashData serializes to no bytes,
   * so it is the hash of nothing. Block 1's previousBlockHash.
   */
  public static final String GENESIS_BLOCK_HASH_BASE64 = EMPTY_HASH_BASE64;

  /** {@code BlockchainInfo} of a ledger holding only its genesis block (height 1), serialized, base64. */
  public static final String GENESIS_CHAIN_INFO_BASE64 =
      "CAESQEa53SsLqI0TIzs/63Q+6yQ/zVLqYrgbgrUMJ2Ru1XYv113E3djA8gDLBQGdZ7WS9vyCHElHmrSGQCkurLO3xL4=";

  /**
   * The state hash after chaincode {@code mycc} wrote {@code a=100, b=200} (example02's
   * {@code init a 100 b 200} in dev mode) on the default bucket tree (1000003 buckets, grouping 5).
   */
  public static final String MYCC_A100_B200_STATE_HASH_BASE64 =
      "LHK/jDPIpHT/qgabalz5xgqEktm7+xPgbYw8E/jnwNuFPuoiGhh8TPTULjdHI99WvaPSCKdaSRzz/+2LzY4Rfw==";

  /** A chaincode name derived in network mode: 128 lowercase hex digits (SHAKE256/64 bytes). */
  public static final Pattern CHAINCODE_NAME = Pattern.compile("[0-9a-f]{128}");

  /** A transaction id of an invoke: a random version 4 UUID, lowercase. */
  public static final Pattern INVOKE_TXID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  public static byte[] genesisBlockHash() {
    return Base64.getDecoder().decode(GENESIS_BLOCK_HASH_BASE64);
  }
}
