package org.jpeer.devops;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import com.google.protobuf.ByteString;
import org.jpeer.protos.ChaincodeInput;

/** Transaction ids as the original makes them (devops-and-security.md §1.3). */
final class TxIds {
  static final String SHA256 = "sha256";

  private TxIds() {}

  /** A random RFC 4122 version 4 UUID in lowercase {@code 8-4-4-4-12} form. */
  static String uuid() {
    return UUID.randomUUID().toString();
  }

  /**
   * The id of an invoke whose {@code idGenerationAlg} is set: lowercase hex SHA-256 of the ASN.1
   * DER encoding of the constructor, so the same arguments always give the same id.
   */
  static String fromCtor(String idGenerationAlg, ChaincodeInput ctor) throws DevopsException {
    String alg = idGenerationAlg.toLowerCase(Locale.ROOT);
    if (!alg.equals(SHA256)) {
      throw new DevopsException("Wrong ID generation algorithm was given: " + alg);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(derCtor(ctor));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  /**
   * What Go's {@code asn1.Marshal(ChaincodeInput{Args [][]byte})} produces: a SEQUENCE (the struct)
   * holding a SEQUENCE OF OCTET STRING (the args).
   */
  static byte[] derCtor(ChaincodeInput ctor) {
    ByteArrayOutputStream args = new ByteArrayOutputStream();
    for (ByteString arg : ctor.getArgsList()) {
      writeTlv(args, 0x04, arg.toByteArray());
    }
    ByteArrayOutputStream seqOf = new ByteArrayOutputStream();
    writeTlv(seqOf, 0x30, args.toByteArray());
    ByteArrayOutputStream struct = new ByteArrayOutputStream();
    writeTlv(struct, 0x30, seqOf.toByteArray());
    return struct.toByteArray();
  }

  private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
  }
}
