package org.jpeer.ledger;

import java.nio.charset.StandardCharsets;

/** Small encodings shared by the storage layout (see the README ledger section). */
final class Codec {
  private Codec() {}

  static byte[] u64be(long value) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (value >>> (56 - 8 * i));
    }
    return out;
  }

  static long readU64be(byte[] bytes) {
    if (bytes.length != 8) {
      throw new IllegalArgumentException("expected 8 bytes, got " + bytes.length);
    }
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }

  static byte[] varint(long value) {
    return new Buf(10).varint(value).toArray();
  }

  /** Fabric's EncodeOrderPreservingVarUint64: count of significant big-endian bytes, then those bytes. */
  static void orderPreserving(Buf out, long value) {
    int size = 8 - Long.numberOfLeadingZeros(value) / 8;
    if (value == 0) {
      size = 0;
    }
    out.varint(size);
    for (int i = size - 1; i >= 0; i--) {
      out.put((int) (value >>> (8 * i)));
    }
  }

  /** FNV-1a, 32 bits, as an unsigned value. */
  static long fnv1a32(byte[] bytes, int offset, int length) {
    int h = 0x811c9dc5;
    for (int i = offset; i < offset + length; i++) {
      h ^= bytes[i] & 0xFF;
      h *= 16777619;
    }
    return h & 0xFFFFFFFFL;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String utf8(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /** Reads varints from a byte array; fails with a clear message on truncated or oversized input. */
  static final class Reader {
    private final byte[] data;
    private int pos;
    private final String what;

    Reader(byte[] data, String what) {
      this.data = data;
      this.what = what;
    }

    boolean atEnd() {
      return pos >= data.length;
    }

    int position() {
      return pos;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= data.length) {
          throw new IllegalArgumentException(what + ": truncated varint at byte " + pos);
        }
        byte b = data[pos++];
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException(what + ": varint longer than 10 bytes at byte " + pos);
    }

    int length() {
      long n = varint();
      if (n < 0 || n > data.length - pos) {
        throw new IllegalArgumentException(what + ": length " + n + " at byte " + pos
            + " exceeds the " + (data.length - pos) + " remaining bytes");
      }
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      byte[] out = new byte[n];
      System.arraycopy(data, pos, out, 0, n);
      pos += n;
      return out;
    }

    String string() {
      int n = length();
      String s = utf8(data, pos, n);
      pos += n;
      return s;
    }
  }
}
