package org.jpeer.membersrvc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.jpeer.protos.membersrvc.CAStatus;
import org.jpeer.protos.membersrvc.Cert;
import org.jpeer.protos.membersrvc.CertPair;
import org.jpeer.protos.membersrvc.ECAPGrpc;
import org.jpeer.protos.membersrvc.ECertCreateReq;
import org.jpeer.protos.membersrvc.ECertCreateResp;
import org.jpeer.protos.membersrvc.ECertReadReq;
import org.jpeer.protos.membersrvc.ECertRevokeReq;
import org.jpeer.protos.membersrvc.Empty;
import org.jpeer.protos.membersrvc.Hash;

/** ECAP, the ECA's public service. */
final class EcapService extends ECAPGrpc.ECAPImplBase {
  private final Eca eca;
  private final CaStore store;

  EcapService(Eca eca, CaStore store) {
    this.eca = eca;
    this.store = store;
  }

  @Override
  public void readCACertificate(Empty in, StreamObserver<Cert> out) {
    Calls.answer("ECAP.ReadCACertificate", out,
        () -> Cert.newBuilder().setCert(ByteString.copyFrom(eca.authority().rootDer())).build());
  }

  @Override
  public void createCertificatePair(ECertCreateReq in, StreamObserver<ECertCreateResp> out) {
    Calls.answer("ECAP.CreateCertificatePair", out, () -> eca.createCertificatePair(in));
  }

  @Override
  public void readCertificatePair(ECertReadReq in, StreamObserver<CertPair> out) {
    Calls.answer("ECAP.ReadCertificatePair", out, () -> {
      String id = Requests.id(in.hasId() ? in.getId() : null, "id");
      var sign = store.certificate("eca", id, CertificateAuthority.DIGITAL_SIGNATURE);
      var enc = store.certificate("eca", id, CertificateAuthority.DATA_ENCIPHERMENT);
      if (sign.isEmpty() || enc.isEmpty()) {
        throw CaError.refused("No certificates for the given identity were found.");
      }
      return CertPair.newBuilder().setSign(ByteString.copyFrom(sign.get())).setEnc(ByteString.copyFrom(enc.get())).build();
    });
  }

  @Override
  public void readCertificateByHash(Hash in, StreamObserver<Cert> out) {
    Calls.answer("ECAP.ReadCertificateByHash", out, () -> store.certificateByHash("eca", in.getHash().toByteArray())
        .map(der -> Cert.newBuilder().setCert(ByteString.copyFrom(der)).build())
        .orElseThrow(() -> CaError.refused("sql: no rows in result set")));
  }

  @Override
  public void revokeCertificatePair(ECertRevokeReq in, StreamObserver<CAStatus> out) {
    out.onError(CaError.unimplemented("ECAP:RevokeCertificate method not (yet) implemented"));
  }
}
