package org.jpeer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jpeer.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** The storage layout's encodings, byte for byte as the original writes them (ledger.md §7.4, §6.3). */
class CodecTest {
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String orderPreserving(long n) {
    Buf buf = new Buf(1);
    Codec.orderPreserving(buf, n);
    return hex(buf.toArray());
  }

  @Test
  void encodeOrderPreservingVarUint64AsFabric() {
    assertThat(orderPreserving(0)).isEqualTo("00");
    assertThat(orderPreserving(1)).isEqualTo("0101");
    assertThat(orderPreserving(255)).isEqualTo("01ff");
    assertThat(orderPreserving(256)).isEqualTo("020100");
    assertThat(orderPreserving(1000003)).isEqualTo("030f4243");
    assertThat(orderPreserving(0x0123456789L)).isEqualTo("050123456789");
    assertThat(orderPreserving(Long.MIN_VALUE)).isEqualTo("088000000000000000");
  }

  @Test
  void bigEndianCountsAndVarints() {
    assertThat(hex(Codec.u64be(0x0102030405060708L))).isEqualTo("0102030405060708");
    assertThat(Codec.readU64be(Codec.u64be(-2))).isEqualTo(-2);
    assertThatThrownBy(() -> Codec.readU64be(new byte[7])).hasMessage("expected 8 bytes, got 7");
    assertThat(hex(Codec.varint(0))).isEqualTo("00");
    assertThat(hex(Codec.varint(300))).isEqualTo("ac02");
    assertThat(hex(Codec.varint(-1))).isEqualTo("ffffffffffffffffff01");
  }

  @Test
  void fnv1a32AsGosHashFnv() {
    assertThat(Codec.fnv1a32(new byte[0], 0, 0)).isEqualTo(0x811c9dc5L);
    assertThat(Codec.fnv1a32(utf8("a"), 0, 1)).isEqualTo(0xe40c292cL);
    assertThat(Codec.fnv1a32(utf8("xfoobar"), 1, 6)).isEqualTo(0xbf9cf968L);
  }

  @Test
  void theReaderReadsWhatBufWritesAndRefusesDamage() {
    byte[] written = new Buf(4).varint(300).lengthPrefixed(utf8("key")).varint(7).toArray();
    Codec.Reader r = new Codec.Reader(written, "test record");
    assertThat(r.varint()).isEqualTo(300);
    assertThat(r.position()).isEqualTo(2);
    assertThat(r.string()).isEqualTo("key");
    assertThat(r.atEnd()).isFalse();
    assertThat(r.varint()).isEqualTo(7);
    assertThat(r.atEnd()).isTrue();

    assertThatThrownBy(() -> new Codec.Reader(new byte[] {(byte) 0x80}, "rec").varint())
        .hasMessage("rec: truncated varint at byte 1");
    byte[] eleven = new byte[11];
    java.util.Arrays.fill(eleven, (byte) 0x80);
    assertThatThrownBy(() -> new Codec.Reader(eleven, "rec").varint())
        .hasMessage("rec: varint longer than 10 bytes at byte 10");
    assertThatThrownBy(() -> new Codec.Reader(new byte[] {3, 'a', 'b'}, "rec").bytes())
        .hasMessage("rec: length 3 at byte 1 exceeds the 2 remaining bytes");
    assertThat(new Codec.Reader(new byte[] {2, 'a', 'b'}, "rec").bytes()).isEqualTo(utf8("ab"));
  }

  @Test
  void perTransactionDeltaHashIsTheOriginals() {
    StateDelta delta = new StateDelta();
    assertThat(delta.hash()).as("an empty delta has no hash").isNull();
    delta.set("cc2", "b", utf8("2"), null);
    delta.set("cc2", "a", utf8("1"), null);
    delta.delete("cc2", "c", utf8("old"));
    delta.set("cc1", "z", utf8("9"), null);
    // chaincodes, then keys, in sorted order; a key then its value; nothing for a deleted key
    assertThat(delta.hash()).isEqualTo(Hashes.shake256(utf8("cc1z9cc2a1b2c")));
    assertThat(delta.size()).isEqualTo(4);
  }
}
