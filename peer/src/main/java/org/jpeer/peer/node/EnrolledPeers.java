package org.jpeer.peer.node;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.jpeer.crypto.client.EnrolmentException;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.client.MembershipClient;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.peer.network.PeerAuthenticator;
import org.jpeer.protos.Message;
import org.jpeer.protos.PeerEndpoint;

/**
 * DISC_HELLO signatures with {@code security.enabled}: this peer signs its payload with its
 * enrolment key (ECDSA, DER); a received one must name in {@code pkiID} an enrolment certificate the
 * ECA issued (fetched by hash, then cached), carry a signature by that certificate's key, and, beyond
 * the original, come from a member enrolled as a peer or validator (a validator's hello from a
 * validator), so that a client's certificate cannot join as a peer.
 */
final class EnrolledPeers implements PeerAuthenticator {
  static final String ROLE_OID = "2.1.3.4.5.6.7";
  private static final int CACHED = 1024;

  private final MembershipClient client;
  private final MemberCredentials self;
  private final Map<String, X509Certificate> certificates =
      Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
          return size() > CACHED;
        }
      });

  EnrolledPeers(MembershipClient client, MemberCredentials self) {
    this.client = client;
    this.self = self;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public ByteString sign(ByteString helloPayload) {
    return ByteString.copyFrom(GoEcdsa.der(GoEcdsa.sign(self.level(), self.enrolmentKey(), helloPayload.toByteArray())));
  }

  @Override
  public String refusal(PeerEndpoint claimed, Message hello) {
    if (hello.getSignature().isEmpty()) {
      return "it is not signed (is security.enabled on at that peer?)";
    }
    if (claimed.getPkiID().isEmpty()) {
      return "it names no pkiID (is security.enabled on at that peer?)";
    }
    X509Certificate cert;
    try {
      cert = certificate(claimed.getPkiID().toByteArray());
    } catch (EnrolmentException e) {
      return "its pkiID names no enrolment certificate of the ECA (" + e.getMessage() + ")";
    }
    BigInteger[] rs = GoEcdsa.parseDer(hello.getSignature().toByteArray());
    if (rs == null || !(cert.getPublicKey() instanceof ECPublicKey key)
        || !GoEcdsa.verify(self.level(), key, hello.getPayload().toByteArray(), rs[0], rs[1])) {
      return "its signature does not verify with the enrolment certificate its pkiID names";
    }
    int role = role(cert);
    boolean validator = role == 4;
    if (!validator && role != 2) {
      return "its enrolment certificate is not a peer's or a validator's (role " + role + ")";
    }
    if (claimed.getType() == PeerEndpoint.Type.VALIDATOR && !validator) {
      return "it claims to be a validator, but is enrolled as a non-validating peer";
    }
    return null;
  }

  /** The certificate of a pkiID whose hello was checked here, without asking the membership service. */
  Optional<X509Certificate> checked(byte[] pkiId) {
    return Optional.ofNullable(certificates.get(HexFormat.of().formatHex(pkiId)));
  }

  private X509Certificate certificate(byte[] pkiId) throws EnrolmentException {
    String key = HexFormat.of().formatHex(pkiId);
    X509Certificate known = certificates.get(key);
    if (known != null) {
      return known;
    }
    X509Certificate fetched = client.certificateByHash(pkiId, self.ecaRoot());
    certificates.put(key, fetched);
    return fetched;
  }

  /** The role number of the ECA's critical extension, -1 when absent or unreadable. */
  static int role(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(ROLE_OID);
    if (ext == null) {
      return -1;
    }
    try {
      return Integer.parseInt(new String(ASN1OctetString.getInstance(ext).getOctets(), StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
