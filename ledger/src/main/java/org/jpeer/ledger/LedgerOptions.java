package org.jpeer.ledger;

/**
 * Ledger configuration, named after the original's {@code core.yaml} keys.
 *
 * @param dataStructure {@code ledger.state.dataStructure.name}
 * @param numBuckets {@code ledger.state.dataStructure.configs.numBuckets} (bucket tree only)
 * @param maxGroupingAtEachLevel {@code ledger.state.dataStructure.configs.maxGroupingAtEachLevel}
 * @param bucketCacheSizeMb {@code ledger.state.dataStructure.configs.bucketCacheSize}; ≤ 0 disables the cache
 * @param deltaHistorySize {@code ledger.state.deltaHistorySize}: how many per-block state deltas are kept
 * @param syncWrites sync the write-ahead log on every block commit (the original did not; jpeer does)
 * @param verifyChecksumsOnOpen read every SST file's checksums at open so damaged files are refused up
 *     front rather than on first use; costs one full read of the database at start-up
 */
public record LedgerOptions(
    StateStructure dataStructure,
    int numBuckets,
    int maxGroupingAtEachLevel,
    int bucketCacheSizeMb,
    int deltaHistorySize,
    boolean syncWrites,
    boolean verifyChecksumsOnOpen) {

  /** {@code ledger.state.dataStructure.name}; jpeer leaves out Fabric's experimental {@code trie}. */
  public enum StateStructure {
    BUCKETTREE,
    RAW;

    /** Parses the configuration value like the original: empty means {@code buckettree}. */
    public static StateStructure parse(String name) {
      if (name == null || name.isEmpty() || name.equals("buckettree")) {
        return BUCKETTREE;
      }
      if (name.equals("raw")) {
        return RAW;
      }
      throw new IllegalArgumentException("ledger.state.dataStructure.name: unsupported value '" + name
          + "' (expected buckettree or raw; trie is not supported by jpeer)");
    }
  }

  public LedgerOptions {
    if (dataStructure == null) {
      throw new IllegalArgumentException("ledger.state.dataStructure.name must be set");
    }
    if (numBuckets < 1) {
      throw new IllegalArgumentException("ledger.state.dataStructure.configs.numBuckets must be >= 1, got " + numBuckets);
    }
    if (maxGroupingAtEachLevel < 2) {
      throw new IllegalArgumentException(
          "ledger.state.dataStructure.configs.maxGroupingAtEachLevel must be >= 2, got " + maxGroupingAtEachLevel);
    }
    if (deltaHistorySize < 0) {
      throw new IllegalArgumentException("ledger.state.deltaHistorySize must not be negative, got " + deltaHistorySize);
    }
  }

  /** The values of the original's {@code peer/core.yaml}: bucket tree 1000003 buckets, grouping 5. */
  public static LedgerOptions defaults() {
    return new LedgerOptions(StateStructure.BUCKETTREE, 1_000_003, 5, 100, 500, true, true);
  }

  /** The original's code defaults, used there when core.yaml gives no (or a non-integer) value. */
  public static LedgerOptions codeDefaults() {
    return defaults().withBuckets(10_009, 10);
  }

  /**
   * Options from the original's configuration: {@code ledger.state.dataStructure.name}, the map
   * {@code ledger.state.dataStructure.configs} (case-sensitive keys {@code numBuckets},
   * {@code maxGroupingAtEachLevel}, {@code bucketCacheSize}) and {@code ledger.state.deltaHistorySize}.
   * As in the original, a missing or non-integer bucket option takes the code default (10009, 10,
   * 100) — which changes every state hash, so it is logged as a warning.
   */
  public static LedgerOptions fromConfiguration(String dataStructureName, java.util.Map<String, ?> configs,
      int deltaHistorySize) {
    java.util.Map<String, ?> c = configs == null ? java.util.Map.of() : configs;
    return new LedgerOptions(StateStructure.parse(dataStructureName),
        intOption(c, "numBuckets", 10_009),
        intOption(c, "maxGroupingAtEachLevel", 10),
        intOption(c, "bucketCacheSize", 100),
        deltaHistorySize, true, true);
  }

  private static int intOption(java.util.Map<String, ?> configs, String key, int codeDefault) {
    Object value = configs.get(key);
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value != null) {
      try {
        return Integer.parseInt(value.toString().trim());
      } catch (NumberFormatException e) {
        org.slf4j.LoggerFactory.getLogger(LedgerOptions.class).warn(
            "ledger.state.dataStructure.configs.{} = '{}' is not an integer; using the code default {} as Fabric"
                + " v0.6 does (this changes every state hash)", key, value, codeDefault);
        return codeDefault;
      }
    }
    return codeDefault;
  }

  public LedgerOptions withBuckets(int buckets, int grouping) {
    return new LedgerOptions(dataStructure, buckets, grouping, bucketCacheSizeMb, deltaHistorySize, syncWrites,
        verifyChecksumsOnOpen);
  }

  public LedgerOptions withDataStructure(StateStructure structure) {
    return new LedgerOptions(structure, numBuckets, maxGroupingAtEachLevel, bucketCacheSizeMb, deltaHistorySize,
        syncWrites, verifyChecksumsOnOpen);
  }

  public LedgerOptions withBucketCacheSizeMb(int megabytes) {
    return new LedgerOptions(dataStructure, numBuckets, maxGroupingAtEachLevel, megabytes, deltaHistorySize,
        syncWrites, verifyChecksumsOnOpen);
  }

  public LedgerOptions withDeltaHistorySize(int blocks) {
    return new LedgerOptions(dataStructure, numBuckets, maxGroupingAtEachLevel, bucketCacheSizeMb, blocks,
        syncWrites, verifyChecksumsOnOpen);
  }

  public LedgerOptions withSyncWrites(boolean sync) {
    return new LedgerOptions(dataStructure, numBuckets, maxGroupingAtEachLevel, bucketCacheSizeMb, deltaHistorySize,
        sync, verifyChecksumsOnOpen);
  }

  public LedgerOptions withVerifyChecksumsOnOpen(boolean verify) {
    return new LedgerOptions(dataStructure, numBuckets, maxGroupingAtEachLevel, bucketCacheSizeMb, deltaHistorySize,
        syncWrites, verify);
  }
}
