package org.jpeer.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpeer.crypto.Hashes;

/**
 * A from-scratch, deliberately naive bucket tree hash written from ledger.md §7.3 alone, to check the
 * incremental implementation against.
 */
final class ReferenceBucketTree {
  private ReferenceBucketTree() {}

  /** state: chaincode → key → value. Returns the state hash, empty for an empty state. */
  static byte[] hash(Map<String, ? extends Map<String, byte[]>> state, int numBuckets, int grouping) {
    TreeMap<Integer, TreeMap<String, byte[]>> buckets = new TreeMap<>();
    for (var cc : state.entrySet()) {
      for (var kv : cc.getValue().entrySet()) {
        byte[] composite = (cc.getKey() + "\0" + kv.getKey()).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : composite) {
          h = (h ^ (b & 0xff)) * 0x01000193;
        }
        int bucket = (int) (Integer.toUnsignedLong(h) % numBuckets) + 1;
        // ISO-8859-1 keeps the composite bytes one char each, so String order is byte order
        buckets.computeIfAbsent(bucket, b -> new TreeMap<>())
            .put(new String(composite, StandardCharsets.ISO_8859_1), kv.getValue());
      }
    }
    List<Integer> sizes = new ArrayList<>();
    for (int n = numBuckets; ; n = (n + grouping - 1) / grouping) {
      sizes.add(0, n);
      if (n == 1) {
        break;
      }
    }
    byte[][] level = new byte[numBuckets + 1][];
    for (var b : buckets.entrySet()) {
      level[b.getKey()] = leaf(b.getValue());
    }
    for (int l = sizes.size() - 2; l >= 0; l--) {
      byte[][] parent = new byte[sizes.get(l) + 1][];
      for (int p = 1; p <= sizes.get(l); p++) {
        List<byte[]> children = new ArrayList<>();
        for (int c = (p - 1) * grouping + 1; c <= p * grouping && c < level.length; c++) {
          if (level[c] != null) {
            children.add(level[c]);
          }
        }
        if (children.size() == 1) {
          parent[p] = children.get(0);
        } else if (children.size() > 1) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          children.forEach(out::writeBytes);
          parent[p] = Hashes.shake256(out.toByteArray());
        }
      }
      level = parent;
    }
    return level[1] == null ? new byte[0] : level[1];
  }

  private static byte[] leaf(TreeMap<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String currentCc = null;
    List<String[]> group = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (var e : entries.entrySet()) {
      String composite = e.getKey();
      int zero = composite.indexOf('\0');
      String cc = composite.substring(0, zero);
      if (!cc.equals(currentCc) && currentCc != null) {
        writeGroup(out, currentCc, group, values);
        group.clear();
        values.clear();
      }
      currentCc = cc;
      group.add(new String[] {composite.substring(zero + 1)});
      values.add(e.getValue());
    }
    writeGroup(out, currentCc, group, values);
    return Hashes.shake256(out.toByteArray());
  }

  private static void writeGroup(ByteArrayOutputStream out, String cc, List<String[]> keys, List<byte[]> values) {
    byte[] ccBytes = cc.getBytes(StandardCharsets.ISO_8859_1);
    varint(out, ccBytes.length);
    out.writeBytes(ccBytes);
    varint(out, keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] k = keys.get(i)[0].getBytes(StandardCharsets.ISO_8859_1);
      varint(out, k.length);
      out.writeBytes(k);
      varint(out, values.get(i).length);
      out.writeBytes(values.get(i));
    }
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
