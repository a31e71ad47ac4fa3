package org.jpeer.membersrvc;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.membersrvc.CryptoType;
import org.jpeer.protos.membersrvc.Identity;
import org.jpeer.protos.membersrvc.PublicKey;
import org.jpeer.protos.membersrvc.Signature;

/** Checks shared by the CA services: identities, keys and the signatures of requests. */
final class Requests {
  static final int MAX_ID = 64;

  private Requests() {}

  /** The id of a request, which must be present, at most 64 characters, printable and without '\'. */
  static String id(Identity identity, String field) {
    String id = identity == null ? "" : identity.getId();
    String problem = idProblem(id);
    if (problem != null) {
      throw CaError.malformed(field + problem);
    }
    return id;
  }

  /** Why an id is refused, as the end of a sentence starting with its name; null when it is fine. */
  static String idProblem(String id) {
    if (id.isEmpty()) {
      return " is missing";
    }
    if (id.length() > MAX_ID) {
      return " is longer than " + MAX_ID + " characters";
    }
    if (!id.codePoints().allMatch(c -> c > 0x20 && c != 0x7f && c != '\\' && c != '/')) {
      return " may hold no spaces, control characters, '/' or '\\'";
    }
    return null;
  }

  static ECPublicKey ecdsaKey(SecurityLevel level, PublicKey key, String field, String wrongType) {
    if (key == null || key.getKey().isEmpty()) {
      throw CaError.malformed(field + " is missing");
    }
    if (key.getType() != CryptoType.ECDSA) {
      throw CaError.refused(wrongType);
    }
    try {
      ECPublicKey k = EcKeys.parsePublic(key.getKey().toByteArray());
      if (!EcKeys.onCurve(level, k)) {
        throw CaError.refused(field + " is not on the curve of security level " + level.bits());
      }
      return k;
    } catch (GeneralSecurityException e) {
      throw CaError.refused(field + " is not a PKIX EC public key: " + e.getMessage());
    }
  }

  /** Verifies (r, s) as decimal text over the request bytes with its signature cleared. */
  static boolean verify(SecurityLevel level, ECPublicKey key, byte[] unsigned, Signature sig) {
    if (sig == null) {
      return false;
    }
    BigInteger r = GoEcdsa.parseText(sig.getR().toByteArray());
    BigInteger s = GoEcdsa.parseText(sig.getS().toByteArray());
    return GoEcdsa.verify(level, key, unsigned, r, s);
  }
}
