package org.jpeer.crypto.client;

import com.google.protobuf.ByteString;
import org.jpeer.protos.membersrvc.Empty;
import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.Ecies;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.crypto.security.TCertKeys;
import org.jpeer.protos.membersrvc.CryptoType;
import org.jpeer.protos.membersrvc.ECAPGrpc;
import org.jpeer.protos.membersrvc.ECertCreateReq;
import org.jpeer.protos.membersrvc.ECertCreateResp;
import org.jpeer.protos.membersrvc.Hash;
import org.jpeer.protos.membersrvc.Identity;
import org.jpeer.protos.membersrvc.PublicKey;
import org.jpeer.protos.membersrvc.Signature;
import org.jpeer.protos.membersrvc.TCAPGrpc;
import org.jpeer.protos.membersrvc.TCert;
import org.jpeer.protos.membersrvc.TCertCreateSetReq;
import org.jpeer.protos.membersrvc.TCertCreateSetResp;
import org.jpeer.protos.membersrvc.TLSCAPGrpc;
import org.jpeer.protos.membersrvc.Token;

/**
 * The client side of the membership service, as the original's {@code core/crypto} node does it:
 * reads the three CA roots, enrols with the two-round-trip ECert exchange and fetches TCert batches,
 * checking everything it is handed (role extension, keys, chain to the roots, the TCert owner key).
 */
public final class MembershipClient {
  static final String ROLE_OID = "2.1.3.4.5.6.7";
  static final String TCERT_INDEX_OID = "1.2.3.4.5.6.7";

  private final Channel eca;
  private final Channel tca;
  private final Channel tlsca;
  private final SecurityLevel level;
  private final Duration deadline;
  private final Clock clock;

  public MembershipClient(Channel eca, Channel tca, Channel tlsca, SecurityLevel level, Duration deadline, Clock clock) {
    this.eca = eca;
    this.tca = tca;
    this.tlsca = tlsca;
    this.level = level;
    this.deadline = deadline;
    this.clock = clock;
  }

  public SecurityLevel level() {
    return level;
  }

  /** Enrols {@code id}: a fresh pair of keys, the secret, the challenge, the certificates. */
  public MemberCredentials enrol(String id, String secret) throws EnrolmentException {
    X509Certificate ecaRoot = root(call(() -> ECAPGrpc.newBlockingStub(eca).withDeadlineAfter(deadline.toMillis(),
        TimeUnit.MILLISECONDS).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray(), "ECA"), "ECA");
    X509Certificate tcaRoot = root(call(() -> TCAPGrpc.newBlockingStub(tca).withDeadlineAfter(deadline.toMillis(),
        TimeUnit.MILLISECONDS).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray(), "TCA"), "TCA");
    X509Certificate tlscaRoot = root(call(() -> TLSCAPGrpc.newBlockingStub(tlsca).withDeadlineAfter(deadline.toMillis(),
        TimeUnit.MILLISECONDS).readCACertificate(Empty.getDefaultInstance()).getCert().toByteArray(), "TLS CA"), "TLS CA");
    KeyPair sign = EcKeys.generate(level);
    KeyPair enc = EcKeys.generate(level);
    ECertCreateReq first = ECertCreateReq.newBuilder()
        .setTs(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()))
        .setId(Identity.newBuilder().setId(id))
        .setTok(Token.newBuilder().setTok(ByteString.copyFromUtf8(secret)))
        .setSign(ecdsa(sign))
        .setEnc(ecdsa(enc))
        .build();
    ECertCreateResp challenge = call(() -> ecap().createCertificatePair(first), "ECA");
    byte[] plain;
    try {
      plain = Ecies.decrypt(level, (ECPrivateKey) enc.getPrivate(), challenge.getTok().getTok().toByteArray());
    } catch (GeneralSecurityException e) {
      throw new EnrolmentException("the ECA's challenge does not decrypt with our key (" + e.getMessage() + ")", e);
    }
    ECertCreateReq.Builder second = first.toBuilder().setTok(Token.newBuilder().setTok(ByteString.copyFrom(plain)));
    second.setSig(textSignature((ECPrivateKey) sign.getPrivate(), second.build().toByteArray()));
    ECertCreateResp issued = call(() -> ecap().createCertificatePair(second.build()), "ECA");
    X509Certificate cert;
    try {
      cert = Certificates.parse(issued.getCerts().getSign().toByteArray(), "the enrolment certificate");
    } catch (GeneralSecurityException e) {
      throw new EnrolmentException(e.getMessage(), e);
    }
    if (!Certificates.signedBy(cert, ecaRoot)) {
      throw new EnrolmentException("the enrolment certificate is not signed by the ECA's root");
    }
    if (!cert.getPublicKey().equals(sign.getPublic())) {
      throw new EnrolmentException("the enrolment certificate does not hold the key we sent");
    }
    if (cert.getExtensionValue(ROLE_OID) == null) {
      throw new EnrolmentException("the enrolment certificate carries no role extension " + ROLE_OID);
    }
    return new MemberCredentials(id, level, (ECPrivateKey) sign.getPrivate(), cert,
        issued.getPkchain().toByteArray(), ecaRoot, tcaRoot, tlscaRoot);
  }

  /**
   * A batch of {@code count} TCerts with their private keys. Each is checked: signed by the TCA,
   * its index decrypts with the batch's key, and the key derived from it is the certificate's.
   */
  public List<TCertKey> tcerts(MemberCredentials member, int count) throws EnrolmentException {
    return tcertBatch(member, count).tcerts();
  }

  /** As {@link #tcerts}, with the KDF key the batch came with. */
  public TCertBatch tcertBatch(MemberCredentials member, int count) throws EnrolmentException {
    TCertCreateSetReq.Builder req = TCertCreateSetReq.newBuilder()
        .setTs(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()))
        .setId(Identity.newBuilder().setId(member.enrollId()))
        .setNum(count);
    req.setSig(textSignature(member.enrolmentKey(), req.build().toByteArray()));
    TCertCreateSetResp resp = call(() -> TCAPGrpc.newBlockingStub(tca)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).createCertificateSet(req.build()), "TCA");
    byte[] kdfKey = resp.getCerts().getKey().toByteArray();
    List<TCertKey> out = new ArrayList<>();
    // The TCA's signature and the derived key are checked on the first TCert of a batch only (with
    // security on they were 45 % and then 28 % of the peer's CPU: an ECDSA verify and a scalar
    // multiplication per TCert). Every TCert's index must still decrypt with the member's KDF key,
    // which a TCert issued for anybody else fails. A TCert with a bad signature or key could only
    // get the member's own transaction refused by the validators, which check both anyway.
    for (TCert t : resp.getCerts().getCertsList()) {
      out.add(tcertKey(member, kdfKey, t.getCert().toByteArray(), out.isEmpty()));
    }
    if (out.isEmpty()) {
      throw new EnrolmentException("the TCA answered an empty batch");
    }
    return new TCertBatch(kdfKey, out);
  }

  /**
   * The private key of one of {@code member}'s TCerts, derived from the certificate and the
   * member's KDF key, after checking that the TCA signed it, that its index decrypts with that key
   * and that the derived key is the certificate's (which fails for anybody else's TCert).
   */
  public TCertKey tcertKey(MemberCredentials member, byte[] kdfKey, byte[] certDer) throws EnrolmentException {
    return tcertKey(member, kdfKey, certDer, true);
  }

  private TCertKey tcertKey(MemberCredentials member, byte[] kdfKey, byte[] certDer, boolean checkSignature)
      throws EnrolmentException {
    // checkSignature: also the TCA's signature and that the derived key is the certificate's
    try {
      X509Certificate cert = Certificates.parse(certDer, "a TCert");
      if (checkSignature && !Certificates.signedBy(cert, member.tcaRoot())) {
        throw new EnrolmentException("the TCert is not signed by the TCA's root");
      }
      byte[] ext = cert.getExtensionValue(TCERT_INDEX_OID);
      if (ext == null) {
        throw new EnrolmentException("the TCert carries no index extension " + TCERT_INDEX_OID);
      }
      byte[] index = TCertKeys.decryptIndex(level, kdfKey, ASN1OctetString.getInstance(ext).getOctets());
      BigInteger k = TCertKeys.k(level, kdfKey, index);
      ECPrivateKey key = TCertKeys.privateKey(level, member.enrolmentKey(), k);
      if (!MessageDigest.isEqual(EcKeys.publicOf(level, key).getEncoded(), cert.getPublicKey().getEncoded())) {
        throw new EnrolmentException("the TCert does not hold the key derived for " + member.enrollId());
      }
      return new TCertKey(certDer, key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new EnrolmentException("the TCert does not check out: " + e.getMessage(), e);
    }
  }

  /** The enrolment certificate whose hash is {@code hash} (another member's pkiID), checked against the ECA root. */
  public X509Certificate certificateByHash(byte[] hash, X509Certificate ecaRoot) throws EnrolmentException {
    byte[] der = call(() -> ecap().readCertificateByHash(Hash.newBuilder().setHash(ByteString.copyFrom(hash)).build())
        .getCert().toByteArray(), "ECA");
    if (!MessageDigest.isEqual(level.hash(der), hash)) {
      throw new EnrolmentException("the ECA answered a certificate that does not hash to the one asked for");
    }
    X509Certificate cert;
    try {
      cert = Certificates.parse(der, "the enrolment certificate");
    } catch (GeneralSecurityException e) {
      throw new EnrolmentException(e.getMessage(), e);
    }
    if (!Certificates.signedBy(cert, ecaRoot)) {
      throw new EnrolmentException("the enrolment certificate is not signed by the ECA's root");
    }
    return cert;
  }

  private ECAPGrpc.ECAPBlockingStub ecap() {
    return ECAPGrpc.newBlockingStub(eca).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Signature textSignature(ECPrivateKey key, byte[] message) {
    BigInteger[] rs = GoEcdsa.sign(level, key, message);
    return Signature.newBuilder().setType(CryptoType.ECDSA)
        .setR(ByteString.copyFrom(GoEcdsa.text(rs[0]))).setS(ByteString.copyFrom(GoEcdsa.text(rs[1]))).build();
  }

  private static PublicKey ecdsa(KeyPair pair) {
    return PublicKey.newBuilder().setType(CryptoType.ECDSA).setKey(ByteString.copyFrom(pair.getPublic().getEncoded())).build();
  }

  private static X509Certificate root(byte[] der, String ca) throws EnrolmentException {
    try {
      return Certificates.parse(der, "the " + ca + "'s root certificate");
    } catch (GeneralSecurityException e) {
      throw new EnrolmentException(e.getMessage(), e);
    }
  }

  private interface Call<T> {
    T run();
  }

  /** A gRPC call whose refusal becomes the CA's own text, as the original's REST layer shows it. */
  private static <T> T call(Call<T> call, String ca) throws EnrolmentException {
    try {
      return call.run();
    } catch (StatusRuntimeException e) {
      String text = e.getStatus().getDescription();
      switch (e.getStatus().getCode()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED -> throw new EnrolmentException(
            "the " + ca + " cannot be reached (" + e.getStatus().getCode() + (text == null ? "" : ": " + text)
                + tlsReason(e) + ")", e);
        default -> throw new EnrolmentException(text == null ? e.getStatus().getCode().toString() : text, e);
      }
    }
  }

  /** A failed TLS handshake hides behind "io exception": name it, it is what the operator must fix. */
  private static String tlsReason(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return "; TLS: " + t.getMessage();
      }
    }
    return "";
  }
}
