package org.jpeer.ledger;

import java.util.Arrays;

/** A growable byte buffer for the ledger's hand-written encodings (varints, keys, deltas). */
final class Buf {
  private byte[] data;
  private int length;

  Buf(int capacity) {
    data = new byte[Math.max(16, capacity)];
  }

  Buf reset() {
    length = 0;
    return this;
  }

  int length() {
    return length;
  }

  byte[] array() {
    return data;
  }

  private void ensure(int extra) {
    if (length + extra > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, length + extra));
    }
  }

  Buf put(int b) {
    ensure(1);
    data[length++] = (byte) b;
    return this;
  }

  Buf put(byte[] bytes) {
    return put(bytes, 0, bytes.length);
  }

  Buf put(byte[] bytes, int offset, int count) {
    ensure(count);
    System.arraycopy(bytes, offset, data, length, count);
    length += count;
    return this;
  }

  /** Protobuf base-128 varint. */
  Buf varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      data[length++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    data[length++] = (byte) value;
    return this;
  }

  /** varint(length) followed by the bytes. */
  Buf lengthPrefixed(byte[] bytes) {
    varint(bytes.length);
    return put(bytes);
  }

  Buf u64be(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      data[length++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  byte[] toArray() {
    return Arrays.copyOf(data, length);
  }
}
