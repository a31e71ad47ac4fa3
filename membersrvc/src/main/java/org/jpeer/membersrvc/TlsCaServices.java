package org.jpeer.membersrvc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.jpeer.protos.membersrvc.CAStatus;
import org.jpeer.protos.membersrvc.Cert;
import org.jpeer.protos.membersrvc.Empty;
import org.jpeer.protos.membersrvc.TLSCAAGrpc;
import org.jpeer.protos.membersrvc.TLSCAPGrpc;
import org.jpeer.protos.membersrvc.TLSCertCreateReq;
import org.jpeer.protos.membersrvc.TLSCertCreateResp;
import org.jpeer.protos.membersrvc.TLSCertReadReq;
import org.jpeer.protos.membersrvc.TLSCertRevokeReq;

/** TLSCAP and TLSCAA, the TLS CA's services. */
final class TlsCaServices {
  private TlsCaServices() {}

  static final class Public extends TLSCAPGrpc.TLSCAPImplBase {
    private final TlsCa tlsca;

    Public(TlsCa tlsca) {
      this.tlsca = tlsca;
    }

    @Override
    public void readCACertificate(Empty in, StreamObserver<Cert> out) {
      Calls.answer("TLSCAP.ReadCACertificate", out,
          () -> Cert.newBuilder().setCert(ByteString.copyFrom(tlsca.authority().rootDer())).build());
    }

    @Override
    public void createCertificate(TLSCertCreateReq in, StreamObserver<TLSCertCreateResp> out) {
      Calls.answer("TLSCAP.CreateCertificate", out, () -> tlsca.createCertificate(in));
    }

    @Override
    public void readCertificate(TLSCertReadReq in, StreamObserver<Cert> out) {
      Calls.answer("TLSCAP.ReadCertificate", out,
          () -> tlsca.readCertificate(Requests.id(in.hasId() ? in.getId() : null, "id")));
    }

    @Override
    public void revokeCertificate(TLSCertRevokeReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }
  }

  static final class Admin extends TLSCAAGrpc.TLSCAAImplBase {
    @Override
    public void revokeCertificate(TLSCertRevokeReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }
  }
}
