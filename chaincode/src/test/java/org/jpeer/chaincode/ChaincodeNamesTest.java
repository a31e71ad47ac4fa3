package org.jpeer.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.jpeer.protos.ChaincodeInput;
import org.junit.jupiter.api.Test;

/** The naming rule against the test vectors of the reference (chaincode.md §4). */
class ChaincodeNamesTest {
  static final ChaincodeInput CTOR = input("init", "a", "100", "b", "200");

  static ChaincodeInput input(String... args) {
    ChaincodeInput.Builder b = ChaincodeInput.newBuilder();
    for (String a : args) {
      b.addArgs(ByteString.copyFromUtf8(a));
    }
    return b.build();
  }

  @Test
  void ctorSerializesAsInTheReference() {
    assertThat(HexFormat.of().formatHex(CTOR.toByteArray()))
        .isEqualTo("0a04696e69740a01610a033130300a01620a03323030");
  }

  @Test
  void hashOfTheCtorAlone() throws Exception {
    assertThat(ChaincodeNames.derive(CTOR, List.of())).isEqualTo(
        "c8eb9e75cc88b7c3ce13a439d85c0f2db6912a254218007fc597af7953adc7b2"
            + "4c69c3c2f064e461b3d4d993f4cd1f9ec7f9cbef115f650e2a1f1a4d375df496");
  }

  @Test
  void foldsFileContentsInOrderAsTheReferenceGolangVector() throws Exception {
    List<byte[]> files = List.of("package main\n".getBytes(StandardCharsets.UTF_8),
        "// second file\n".getBytes(StandardCharsets.UTF_8));
    assertThat(ChaincodeNames.derive(CTOR, files)).isEqualTo(
        "e7a7bc34a37b9733cdaf12e8e27fe4a0ea6e623c0c9ff70959d7128d9af78d8d"
            + "236105c5987ebe6a3ebb35cecb4d5b70e6ac06f506fb2a1ef7b343bbbbed3f56");
  }

  @Test
  void theOriginalsLengthOnlyRuleIsTheSameFoldOverZeros() throws Exception {
    // the CAR vector: one 7-byte file hashed as 7 zero bytes; proves the fold is the original's
    assertThat(ChaincodeNames.derive(CTOR, List.of(new byte[7]))).isEqualTo(
        "0d0b7209dc27e6b028e05bba75b2c6dc1192dbda3582bc60f663f509aa05cc18"
            + "cb934ca01f60a8acb666a91e5a5aa48f9ba39e801c7aa3cb11dc17aa4496c25b");
  }

  @Test
  void contentMattersForJpeerJavaNames() throws Exception {
    String one = ChaincodeNames.derive(CTOR, List.of("abc".getBytes(StandardCharsets.UTF_8)));
    String other = ChaincodeNames.derive(CTOR, List.of("abd".getBytes(StandardCharsets.UTF_8)));
    assertThat(one).isNotEqualTo(other).matches("[0-9a-f]{128}");
  }

  @Test
  void emptyCtorIsRefused() {
    assertThatThrownBy(() -> ChaincodeNames.derive(ChaincodeInput.getDefaultInstance(), List.of()))
        .isInstanceOf(ChaincodeException.class)
        .hasMessageStartingWith("Cannot generate hashcode from empty ctor");
  }
}
