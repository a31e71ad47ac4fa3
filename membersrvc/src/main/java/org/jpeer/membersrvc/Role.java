package org.jpeer.membersrvc;

import java.util.Optional;

/** The member roles of the original (a bit each) and their names in registrar metadata. */
enum Role {
  CLIENT(1, "client"),
  PEER(2, "peer"),
  VALIDATOR(4, "validator"),
  AUDITOR(8, "auditor");

  final int bit;
  final String text;

  Role(int bit, String text) {
    this.bit = bit;
    this.text = text;
  }

  static Optional<Role> ofBit(int bit) {
    for (Role r : values()) {
      if (r.bit == bit) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Clients and non-validating peers belong to an affiliation; validators and auditors do not. */
  boolean needsAffiliation() {
    return this == CLIENT || this == PEER;
  }
}
