package org.jpeer.crypto.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityPrimitivesTest {
  @ParameterizedTest
  @CsvSource({"256, SHA3", "256, SHA2", "384, SHA3", "384, SHA2"})
  void eciesRoundTripsAndRefusesTamperedOrForeignCiphertexts(int bits, String hash) throws Exception {
    SecurityLevel level = SecurityLevel.of(bits, hash);
    KeyPair to = EcKeys.generate(level);
    byte[] plain = "a 12-char tok".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = Ecies.encrypt(level, (ECPublicKey) to.getPublic(), plain);
    int field = (bits + 7) / 8;
    // R uncompressed, 16-byte IV, ciphertext as long as the plaintext (CFB), tag of the hash's size
    assertThat(sealed).hasSize(1 + 2 * field + 16 + plain.length + level.digest().getDigestSize());
    assertThat(sealed[0]).isEqualTo((byte) 4);
    assertThat(Ecies.decrypt(level, (ECPrivateKey) to.getPrivate(), sealed)).isEqualTo(plain);

    byte[] tampered = sealed.clone();
    tampered[tampered.length - level.digest().getDigestSize() - 1] ^= 1;
    assertThatThrownBy(() -> Ecies.decrypt(level, (ECPrivateKey) to.getPrivate(), tampered))
        .isInstanceOf(GeneralSecurityException.class).hasMessage("Tag check failed");
    assertThatThrownBy(() -> Ecies.decrypt(level, (ECPrivateKey) EcKeys.generate(level).getPrivate(), sealed))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> Ecies.decrypt(level, (ECPrivateKey) to.getPrivate(), new byte[] {7, 1, 2}))
        .hasMessageContaining("Invalid first byte");
  }

  @ParameterizedTest
  @CsvSource({"256, SHA3", "384, SHA2"})
  void signaturesVerifyOnlyForTheirMessageAndKeyInBothEncodings(int bits, String hash) {
    SecurityLevel level = SecurityLevel.of(bits, hash);
    KeyPair k = EcKeys.generate(level);
    byte[] msg = "tx".getBytes(StandardCharsets.US_ASCII);
    BigInteger[] rs = GoEcdsa.sign(level, (ECPrivateKey) k.getPrivate(), msg);
    assertThat(GoEcdsa.verify(level, (ECPublicKey) k.getPublic(), msg, rs[0], rs[1])).isTrue();
    assertThat(GoEcdsa.verify(level, (ECPublicKey) k.getPublic(), "tX".getBytes(StandardCharsets.US_ASCII), rs[0], rs[1]))
        .isFalse();
    assertThat(GoEcdsa.parseDer(GoEcdsa.der(rs))).containsExactly(rs);
    assertThat(GoEcdsa.parseText(GoEcdsa.text(rs[0]))).isEqualTo(rs[0]);
    assertThat(GoEcdsa.parseText("12x".getBytes(StandardCharsets.US_ASCII))).isZero();
    assertThat(GoEcdsa.verify(level, (ECPublicKey) k.getPublic(), msg, BigInteger.ZERO, rs[1])).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"256", "384"})
  void sec1KeysRoundTripWithTheirCurveNamed(int bits) throws Exception {
    SecurityLevel level = new SecurityLevel(bits, true);
    ECPrivateKey key = (ECPrivateKey) EcKeys.generate(level).getPrivate();
    String pem = EcKeys.pem(EcKeys.PRIVATE_PEM, EcKeys.sec1(key));
    assertThat(pem).startsWith("-----BEGIN ECDSA PRIVATE KEY-----");
    assertThat(EcKeys.parseSec1(EcKeys.unpem(pem, EcKeys.PRIVATE_PEM)).getS()).isEqualTo(key.getS());
  }

  @ParameterizedTest
  @CsvSource({"256", "384"})
  void theTCertKeyTheOwnerDerivesMatchesTheOneTheTcaDerives(int bits) throws Exception {
    SecurityLevel level = new SecurityLevel(bits, true);
    KeyPair owner = EcKeys.generate(level);
    byte[] kdf = level.hmac("hmac key".getBytes(StandardCharsets.US_ASCII), owner.getPublic().getEncoded());
    byte[] index = ("1" + "nonce-of-16-byte").getBytes(StandardCharsets.US_ASCII);
    BigInteger k = TCertKeys.k(level, kdf, index);
    assertThat(k.signum()).isPositive();
    assertThat(k).isLessThan(level.order());
    ECPublicKey tcertPublic = TCertKeys.publicKey(level, (ECPublicKey) owner.getPublic(), k);
    ECPrivateKey tcertPrivate = TCertKeys.privateKey(level, (ECPrivateKey) owner.getPrivate(), k);
    assertThat(EcKeys.publicOf(level, tcertPrivate)).isEqualTo(tcertPublic);
    assertThat(tcertPublic).isNotEqualTo(owner.getPublic());

    byte[] padded = new byte[index.length + 16];
    System.arraycopy(index, 0, padded, 0, index.length);
    System.arraycopy(TCertKeys.PADDING, 0, padded, index.length, 16);
    byte[] ext = AesCbc.encrypt(TCertKeys.extensionKey(level, kdf), padded);
    assertThat(TCertKeys.decryptIndex(level, kdf, ext)).isEqualTo(padded);
    assertThatThrownBy(() -> TCertKeys.decryptIndex(level, level.hmac(kdf, new byte[] {9}), ext))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @ParameterizedTest
  @CsvSource({"512, SHA3", "256, MD5"})
  void unsupportedLevelsAreRefusedWithTheOriginalsText(int bits, String hash) {
    assertThatThrownBy(() -> SecurityLevel.of(bits, hash)).hasMessageContaining("not supported");
  }
}
