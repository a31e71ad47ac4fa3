package org.jpeer.membersrvc;

/**
 * A registered identity as stored. Secrets are kept only as {@link SecretHash} strings.
 *
 * @param id the enrolment id
 * @param enrollmentId {@code id\affiliation} for clients and peers, empty for validators and auditors
 *     (the original's form, which becomes the ECert's common name)
 * @param role the role bit
 * @param metadata the registrar JSON, empty when this user may register nobody
 * @param secretHash the enrolment secret, hashed
 * @param state 0 registered, 1 challenged, 2 enrolled
 * @param challengeHash the round-one challenge, hashed; empty before it
 * @param encKey the PKIX encryption key the challenge went to; empty before it
 */
record UserRecord(
    String id,
    String enrollmentId,
    int role,
    String metadata,
    String secretHash,
    int state,
    String challengeHash,
    byte[] encKey) {
  static final int REGISTERED = 0;
  static final int CHALLENGED = 1;
  static final int ENROLLED = 2;

  // a record's own equals would compare the key array by reference
  @Override
  public boolean equals(Object o) {
    return o instanceof UserRecord u
        && id.equals(u.id) && enrollmentId.equals(u.enrollmentId) && role == u.role && metadata.equals(u.metadata)
        && secretHash.equals(u.secretHash) && state == u.state && challengeHash.equals(u.challengeHash)
        && java.util.Arrays.equals(encKey, u.encKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, state, secretHash, challengeHash) * 31 + java.util.Arrays.hashCode(encKey);
  }

  UserRecord challenged(String challengeHash, byte[] encKey) {
    return new UserRecord(id, enrollmentId, role, metadata, secretHash, CHALLENGED, challengeHash, encKey);
  }

  UserRecord enrolled() {
    return new UserRecord(id, enrollmentId, role, metadata, secretHash, ENROLLED, challengeHash, encKey);
  }
}
