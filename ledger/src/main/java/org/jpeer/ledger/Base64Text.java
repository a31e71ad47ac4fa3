package org.jpeer.ledger;

import java.util.Base64;
import org.jpeer.crypto.Hashes;

/** Hashes in messages, written the way operators see them in the REST API. */
final class Base64Text {
  private Base64Text() {}

  static String of(byte[] bytes) {
    return bytes.length == 0 ? "(empty)" : Base64.getEncoder().encodeToString(bytes);
  }
}
