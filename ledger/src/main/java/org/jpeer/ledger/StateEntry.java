package org.jpeer.ledger;

/** One key and its value, as returned by a range scan. */
public record StateEntry(String key, byte[] value) {}
