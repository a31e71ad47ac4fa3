package org.jpeer.membersrvc;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jpeer.crypto.security.AesCbc;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.crypto.security.TCertKeys;
import org.jpeer.protos.membersrvc.CertSet;
import org.jpeer.protos.membersrvc.TCert;
import org.jpeer.protos.membersrvc.TCertCreateSetReq;
import org.jpeer.protos.membersrvc.TCertCreateSetResp;

/**
 * The transaction CA: batches of TCerts whose keys the owner, and only the owner (and the auditors
 * of its affiliation), can link to its enrolment key (membersrvc/ca/tcap.go, §2.7 of the security
 * reference). TCerts are not stored, as on the original; each batch's nonce and key are.
 */
final class Tca {
  static final String TCERT_INDEX_OID = "1.2.3.4.5.6.7";
  static final String ENROLLMENT_ID_OID = "1.2.3.4.5.6.8";
  /** A bound the original lacks: a batch of millions would tie up the service for minutes. */
  static final int MAX_BATCH = 1_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CertificateAuthority ca;
  private final Eca eca;
  private final CaStore store;
  private final SecurityLevel level;
  private final byte[] hmacKey;
  private final Map<String, byte[]> preKeys;

  Tca(CertificateAuthority ca, Eca eca, CaStore store, SecurityLevel level, Affiliations affiliations, Path stateDir) {
    this.ca = ca;
    this.eca = eca;
    this.store = store;
    this.level = level;
    this.hmacKey = randomKeyFile(stateDir.resolve("tca.hmac"), 49);
    this.preKeys = affiliations.preKeys(level, randomKeyFile(stateDir.resolve("root_pk.hmac"), 48));
  }

  CertificateAuthority authority() {
    return ca;
  }

  TCertCreateSetResp createCertificateSet(TCertCreateSetReq in) {
    String id = Requests.id(in.hasId() ? in.getId() : null, "id");
    if (!in.hasTs()) {
      throw CaError.malformed("ts is missing");
    }
    if (in.getNum() > MAX_BATCH) {
      throw CaError.malformed("num " + Integer.toUnsignedString(in.getNum()) + " is more than " + MAX_BATCH + " TCerts per request");
    }
    X509Certificate ecert = eca.signingCertificate(id)
        .orElseThrow(() -> CaError.refused("No enrolment certificate for " + id + ": enrol with the ECA first."));
    ECPublicKey owner = (ECPublicKey) ecert.getPublicKey();
    byte[] unsigned = in.toBuilder().clearSig().build().toByteArray();
    if (!Requests.verify(level, owner, unsigned, in.hasSig() ? in.getSig() : null)) {
      throw CaError.refused("signature does not verify");
    }
    // attributes go to the ACA only when aca.enabled, which jpeer refuses at start: ignored, as there
    String enrollmentId = cn(ecert);
    int slash = enrollmentId.indexOf('\\');
    if (slash < 0 || enrollmentId.indexOf('\\', slash + 1) >= 0) {
      throw CaError.refused("Either the userId or affiliation is missing from the enrollmentID. EnrollID was " + enrollmentId);
    }
    byte[] preK1 = preKeys.get(enrollmentId.substring(slash + 1));
    if (preK1 == null) {
      throw CaError.refused("Could not be found a pre-k to the affiliation group " + enrollmentId.substring(slash + 1) + ".");
    }

    long ts = in.getTs().getSeconds();
    byte[] nonce = new byte[16]; // 8 random bytes, then the request's seconds, little-endian
    RANDOM.nextBytes(nonce);
    ByteBuffer.wrap(nonce, 8, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(ts);
    byte[] kdfKey = level.hmac(hmacKey, owner.getEncoded());
    byte[] extKey = TCertKeys.extensionKey(level, kdfKey);
    int num = in.getNum() == 0 ? 1 : in.getNum();
    List<TCert> set = new ArrayList<>(num);
    for (int i = 0; i < num; i++) {
      BigInteger serial = CertificateAuthority.randomSerial();
      byte[] index = concat(Integer.toString(2 * i + 1).getBytes(StandardCharsets.US_ASCII), nonce, TCertKeys.PADDING);
      ECPublicKey tcertKey;
      try {
        tcertKey = TCertKeys.publicKey(level, owner, TCertKeys.k(level, kdfKey, index));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot derive a TCert key", e);
      }
      byte[] preK0 = level.hmac(preK1, org.bouncycastle.util.BigIntegers.asUnsignedByteArray(serial));
      byte[] idKey = Arrays.copyOf(level.hmac(preK0, "enrollmentID".getBytes(StandardCharsets.US_ASCII)), 32);
      List<CertificateAuthority.Ext> ext = List.of(
          new CertificateAuthority.Ext(TCERT_INDEX_OID, true, AesCbc.encrypt(extKey, index)),
          new CertificateAuthority.Ext(ENROLLMENT_ID_OID, false,
              AesCbc.encrypt(idKey, concat(enrollmentId.getBytes(StandardCharsets.UTF_8), TCertKeys.PADDING))));
      byte[] der = ca.issue("Transaction Certificate", serial, tcertKey, CertificateAuthority.DIGITAL_SIGNATURE, ext);
      set.add(TCert.newBuilder().setCert(ByteString.copyFrom(der)).setPrek0(ByteString.copyFrom(preK0)).build());
    }
    store.putTCertSet(new CaStore.TCertSet(id, ts, nonce, kdfKey));
    return TCertCreateSetResp.newBuilder()
        .setCerts(CertSet.newBuilder().setTs(in.getTs()).setId(in.getId()).setKey(ByteString.copyFrom(kdfKey)).addAllCerts(set))
        .build();
  }

  static String cn(X509Certificate cert) {
    org.bouncycastle.asn1.x500.X500Name name =
        org.bouncycastle.asn1.x500.X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    var rdns = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
    // the plain text, not the RFC 4514 form, which would escape the '\' of "jim\bank_a"
    return rdns.length == 0 ? "" : ((org.bouncycastle.asn1.ASN1String) rdns[0].getFirst().getValue()).getString();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static byte[] randomKeyFile(Path file, int length) {
    try {
      if (Files.exists(file)) {
        return Base64.getDecoder().decode(Files.readString(file).trim());
      }
      byte[] key = new byte[length];
      RANDOM.nextBytes(key);
      StateFiles.writeOwnerOnly(file, Base64.getEncoder().encodeToString(key));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
