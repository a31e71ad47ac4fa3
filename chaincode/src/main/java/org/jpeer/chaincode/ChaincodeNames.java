package org.jpeer.chaincode;

import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.jpeer.protos.ChaincodeInput;

/**
 * Derives a network-mode chaincode name the original's way: {@code h = H(serialized ctor)}, then
 * for each packaged file in order {@code h = H(content ‖ h)}; the name is lowercase hex of
 * {@code h}. H is SHAKE256 with a 64-byte output. (Fabric v0.6 hashed only the length of Java
 * files; jpeer hashes their content so that two different jars never share a name.)
 */
final class ChaincodeNames {
  private ChaincodeNames() {}

  static String derive(ChaincodeInput ctor, List<byte[]> fileContents) throws ChaincodeException {
    if (ctor.getArgsCount() == 0) {
      throw new ChaincodeException("Cannot generate hashcode from empty ctor: deploy needs "
          + "constructor arguments (ctorMsg.args), e.g. [\"init\", ...]");
    }
    byte[] h = hash(ctor.toByteArray());
    for (byte[] content : fileContents) {
      byte[] buf = new byte[content.length + h.length];
      System.arraycopy(content, 0, buf, 0, content.length);
      System.arraycopy(h, 0, buf, content.length, h.length);
      h = hash(buf);
    }
    return HexFormat.of().formatHex(h);
  }

  static byte[] hash(byte[] data) {
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(data, 0, data.length);
    byte[] out = new byte[64];
    shake.doFinal(out, 0, out.length);
    return out;
  }
}
