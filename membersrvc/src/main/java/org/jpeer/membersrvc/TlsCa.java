package org.jpeer.membersrvc;

import com.google.protobuf.ByteString;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.membersrvc.Cert;
import org.jpeer.protos.membersrvc.TLSCertCreateReq;
import org.jpeer.protos.membersrvc.TLSCertCreateResp;

/**
 * The TLS CA: a TLS certificate for a key whose owner signs the request (membersrvc/ca/tlsca.go).
 *
 * <p>Two fixes: the original issues a TLS certificate for any id to anybody, where jpeer requires
 * the id to be enrolled with the ECA (the original's own peers and clients enrol before they ask);
 * and its ReadCertificate looks for a key usage it never issues, so it never finds one, where
 * jpeer's answers the certificate it issued last.
 */
final class TlsCa {
  private final CertificateAuthority ca;
  private final Eca eca;
  private final CaStore store;
  private final SecurityLevel level;

  TlsCa(CertificateAuthority ca, Eca eca, CaStore store, SecurityLevel level) {
    this.ca = ca;
    this.eca = eca;
    this.store = store;
    this.level = level;
  }

  CertificateAuthority authority() {
    return ca;
  }

  TLSCertCreateResp createCertificate(TLSCertCreateReq in) {
    String id = Requests.id(in.hasId() ? in.getId() : null, "id");
    ECPublicKey key = Requests.ecdsaKey(level, in.getPub(), "pub", "unsupported key type");
    byte[] unsigned = in.toBuilder().clearSig().build().toByteArray();
    if (!Requests.verify(level, key, unsigned, in.hasSig() ? in.getSig() : null)) {
      throw CaError.refused("signature does not verify");
    }
    if (eca.signingCertificate(id).isEmpty()) {
      throw CaError.refused("Identity " + id + " is not enrolled with the ECA.");
    }
    byte[] der = ca.issue(id, CertificateAuthority.randomSerial(), key, CertificateAuthority.DIGITAL_SIGNATURE, List.of());
    store.putCertificates("tlsca", id, List.of(ca.keep(der, CertificateAuthority.DIGITAL_SIGNATURE)), null);
    return TLSCertCreateResp.newBuilder()
        .setCert(Cert.newBuilder().setCert(ByteString.copyFrom(der)))
        .setRootCert(Cert.newBuilder().setCert(ByteString.copyFrom(ca.rootDer())))
        .build();
  }

  Cert readCertificate(String id) {
    return store.certificate("tlsca", id, CertificateAuthority.DIGITAL_SIGNATURE)
        .map(der -> Cert.newBuilder().setCert(ByteString.copyFrom(der)).build())
        .orElseThrow(() -> CaError.refused("No TLS certificate for " + id + "."));
  }
}
