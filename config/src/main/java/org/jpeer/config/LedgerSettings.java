package org.jpeer.config;

/** The {@code ledger.*} keys. */
public record LedgerSettings(
    StateDataStructure dataStructure,
    int numBuckets,
    int maxGroupingAtEachLevel,
    int bucketCacheSizeMb,
    int deltaHistorySize) {

  static LedgerSettings from(Settings s) {
    String configs = "ledger.state.dataStructure.configs.";
    return new LedgerSettings(
        s.oneOf("ledger.state.dataStructure.name", StateDataStructure.class),
        s.intIn(configs + "numBuckets", 1, Integer.MAX_VALUE),
        s.intIn(configs + "maxGroupingAtEachLevel", 2, Integer.MAX_VALUE),
        s.intIn(configs + "bucketCacheSize", 0, 1_000_000),
        s.intIn("ledger.state.deltaHistorySize", 0, Integer.MAX_VALUE));
  }
}
