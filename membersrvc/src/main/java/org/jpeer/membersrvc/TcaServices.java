package org.jpeer.membersrvc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.jpeer.protos.membersrvc.CAStatus;
import org.jpeer.protos.membersrvc.Cert;
import org.jpeer.protos.membersrvc.Empty;
import org.jpeer.protos.membersrvc.TCAAGrpc;
import org.jpeer.protos.membersrvc.TCAPGrpc;
import org.jpeer.protos.membersrvc.TCertCRLReq;
import org.jpeer.protos.membersrvc.TCertCreateSetReq;
import org.jpeer.protos.membersrvc.TCertCreateSetResp;
import org.jpeer.protos.membersrvc.TCertRevokeReq;
import org.jpeer.protos.membersrvc.TCertRevokeSetReq;

/** TCAP and TCAA, the TCA's services. */
final class TcaServices {
  private TcaServices() {}

  static final class Public extends TCAPGrpc.TCAPImplBase {
    private final Tca tca;

    Public(Tca tca) {
      this.tca = tca;
    }

    @Override
    public void readCACertificate(Empty in, StreamObserver<Cert> out) {
      Calls.answer("TCAP.ReadCACertificate", out,
          () -> Cert.newBuilder().setCert(ByteString.copyFrom(tca.authority().rootDer())).build());
    }

    @Override
    public void createCertificateSet(TCertCreateSetReq in, StreamObserver<TCertCreateSetResp> out) {
      Calls.answer("TCAP.CreateCertificateSet", out, () -> tca.createCertificateSet(in));
    }

    @Override
    public void revokeCertificate(TCertRevokeReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }

    @Override
    public void revokeCertificateSet(TCertRevokeSetReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }
  }

  static final class Admin extends TCAAGrpc.TCAAImplBase {
    @Override
    public void revokeCertificate(TCertRevokeReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }

    @Override
    public void revokeCertificateSet(TCertRevokeSetReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }

    @Override
    public void publishCRL(TCertCRLReq in, StreamObserver<CAStatus> out) {
      out.onError(CaError.unimplemented("not yet implemented"));
    }
  }
}
