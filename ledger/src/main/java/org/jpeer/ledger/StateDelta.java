package org.jpeer.ledger;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.jpeer.crypto.Hashes;

/**
 * Changes to world state: chaincode → key → (new value or deleted, previous committed value). Used for
 * the batch and transaction deltas, the per-block deltas kept in {@code stateDeltaCF}, and state
 * transfer. Chaincodes and keys are kept in UTF-8 byte order, so the encoding is deterministic.
 * Not thread-safe.
 */
public final class StateDelta {

  /** One key's change; {@code value == null} means deleted, {@code previousValue == null} means absent before. */
  public record Update(byte[] value, byte[] previousValue) {
    public boolean isDeleted() {
      return value == null;
    }
  }

  /**
   * Marks a previous value not read yet. A batch learns the committed value of every key it writes
   * while it hashes the key's bucket (or in one multi-get for raw state), instead of one read per
   * write; committed state cannot change while the batch is open, so the result is the same.
   */
  static final byte[] UNRESOLVED = new byte[0];

  private final TreeMap<String, TreeMap<String, Update>> chaincodes = new TreeMap<>(KeyOrder.INSTANCE);
  private int size;

  /** Records a new value; if the key is already in this delta only the value is replaced. */
  public void set(String chaincodeId, String key, byte[] value, byte[] previousValue) {
    TreeMap<String, Update> keys = chaincodes.computeIfAbsent(chaincodeId, c -> new TreeMap<>(KeyOrder.INSTANCE));
    Update old = keys.get(key);
    if (old == null) {
      size++;
      keys.put(key, new Update(value, previousValue));
    } else {
      keys.put(key, new Update(value, old.previousValue()));
    }
  }

  /** Records a deletion, keeping the first previous value like {@link #set}. */
  public void delete(String chaincodeId, String key, byte[] previousValue) {
    set(chaincodeId, key, null, previousValue);
  }

  /** The change recorded for a key, or {@code null} when this delta does not touch it. */
  public Update get(String chaincodeId, String key) {
    TreeMap<String, Update> keys = chaincodes.get(chaincodeId);
    return keys == null ? null : keys.get(key);
  }

  /** Fills in the previous value of a key written with {@link #UNRESOLVED}. */
  void resolvePrevious(String chaincodeId, String key, byte[] committedValue) {
    TreeMap<String, Update> keys = chaincodes.get(chaincodeId);
    Update u = keys == null ? null : keys.get(key);
    if (u != null && u.previousValue() == UNRESOLVED) {
      keys.put(key, new Update(u.value(), committedValue));
    }
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Number of (chaincode, key) changes. */
  public int size() {
    return size;
  }

  public NavigableSet<String> chaincodeIds() {
    return Collections.unmodifiableNavigableSet(chaincodes.navigableKeySet());
  }

  /** The changes of one chaincode in key order (empty when none). */
  public NavigableMap<String, Update> updates(String chaincodeId) {
    TreeMap<String, Update> keys = chaincodes.get(chaincodeId);
    return keys == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(keys);
  }

  /** Merges a finished transaction's delta: its new values win, this delta's previous values stay. */
  public void merge(StateDelta other) {
    for (Map.Entry<String, TreeMap<String, Update>> cc : other.chaincodes.entrySet()) {
      for (Map.Entry<String, Update> e : cc.getValue().entrySet()) {
        set(cc.getKey(), e.getKey(), e.getValue().value(), e.getValue().previousValue());
      }
    }
  }

  /** The delta that undoes this one (Fabric's RollBackwards): previous values become the values. */
  public StateDelta backwards() {
    StateDelta out = new StateDelta();
    for (Map.Entry<String, TreeMap<String, Update>> cc : chaincodes.entrySet()) {
      for (Map.Entry<String, Update> e : cc.getValue().entrySet()) {
        if (e.getValue().previousValue() == UNRESOLVED) {
          throw new IllegalStateException("a previous value was never read from committed state");
        }
        out.set(cc.getKey(), e.getKey(), e.getValue().previousValue(), e.getValue().value());
      }
    }
    return out;
  }

  /**
   * Fabric's per-transaction delta hash: H over, for each chaincode in order, its name then each key
   * followed by its value (nothing for a deleted key); {@code null} for an empty delta.
   */
  public byte[] hash() {
    if (isEmpty()) {
      return null;
    }
    Buf buf = new Buf(256);
    for (Map.Entry<String, TreeMap<String, Update>> cc : chaincodes.entrySet()) {
      buf.put(Codec.utf8(cc.getKey()));
      for (Map.Entry<String, Update> e : cc.getValue().entrySet()) {
        buf.put(Codec.utf8(e.getKey()));
        if (e.getValue().value() != null) {
          buf.put(e.getValue().value());
        }
      }
    }
    return Hashes.shake256(buf.array(), 0, buf.length());
  }

  /** The binary encoding of Fabric v0.6 (protos.md §11.1); an empty delta is the single byte 00. */
  public byte[] encode() {
    Buf buf = new Buf(64 + size * 48);
    buf.varint(chaincodes.size());
    for (Map.Entry<String, TreeMap<String, Update>> cc : chaincodes.entrySet()) {
      buf.lengthPrefixed(Codec.utf8(cc.getKey()));
      buf.varint(cc.getValue().size());
      for (Map.Entry<String, Update> e : cc.getValue().entrySet()) {
        buf.lengthPrefixed(Codec.utf8(e.getKey()));
        marked(buf, e.getValue().value());
        marked(buf, e.getValue().previousValue());
      }
    }
    return buf.toArray();
  }

  private static void marked(Buf buf, byte[] value) {
    if (value == UNRESOLVED) {
      throw new IllegalStateException("a previous value was never read from committed state");
    }
    if (value == null) {
      buf.varint(0);
    } else {
      buf.varint(1).lengthPrefixed(value);
    }
  }

  /** Decodes {@link #encode()}'s format; rejects truncated, oversized or trailing input. */
  public static StateDelta decode(byte[] encoded) {
    Codec.Reader in = new Codec.Reader(encoded, "state delta");
    StateDelta delta = new StateDelta();
    long numChaincodes = in.varint();
    for (long c = 0; c < numChaincodes; c++) {
      String cc = in.string();
      long numKeys = in.varint();
      for (long k = 0; k < numKeys; k++) {
        String key = in.string();
        byte[] value = readMarked(in);
        byte[] previous = readMarked(in);
        delta.set(cc, key, value, previous);
      }
    }
    if (!in.atEnd()) {
      throw new IllegalArgumentException("state delta: " + (encoded.length - in.position())
          + " unexpected trailing bytes after byte " + in.position());
    }
    return delta;
  }

  private static byte[] readMarked(Codec.Reader in) {
    long marker = in.varint();
    if (marker == 0) {
      return null;
    }
    if (marker != 1) {
      throw new IllegalArgumentException("state delta: value marker " + marker + " (expected 0 or 1) before byte "
          + in.position());
    }
    return in.bytes();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StateDelta other) || other.size != size) {
      return false;
    }
    return encodeEquals(other);
  }

  private boolean encodeEquals(StateDelta other) {
    return java.util.Arrays.equals(encode(), other.encode());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "StateDelta{" + size + " changes in " + chaincodes.keySet() + "}";
  }
}
