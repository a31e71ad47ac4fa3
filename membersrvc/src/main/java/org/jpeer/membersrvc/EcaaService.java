package org.jpeer.membersrvc;

import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.membersrvc.CAStatus;
import org.jpeer.protos.membersrvc.ECAAGrpc;
import org.jpeer.protos.membersrvc.ECertCRLReq;
import org.jpeer.protos.membersrvc.ECertRevokeReq;
import org.jpeer.protos.membersrvc.Identity;
import org.jpeer.protos.membersrvc.ReadUserSetReq;
import org.jpeer.protos.membersrvc.RegisterUserReq;
import org.jpeer.protos.membersrvc.Token;
import org.jpeer.protos.membersrvc.User;
import org.jpeer.protos.membersrvc.UserSet;

/** ECAA, the ECA's admin service: registration by registrars, the user list for auditors. */
final class EcaaService extends ECAAGrpc.ECAAImplBase {
  private final Eca eca;
  private final SecurityLevel level;

  EcaaService(Eca eca, SecurityLevel level) {
    this.eca = eca;
    this.level = level;
  }

  @Override
  public void registerUser(RegisterUserReq in, StreamObserver<Token> out) {
    Calls.answer("ECAA.RegisterUser", out, () -> eca.registerUser(in));
  }

  @Override
  public void readUserSet(ReadUserSetReq in, StreamObserver<UserSet> out) {
    Calls.answer("ECAA.ReadUserSet", out, () -> {
      String req = Requests.id(in.hasReq() ? in.getReq() : null, "req");
      boolean auditor = eca.users().stream().anyMatch(u -> u.id().equals(req) && (u.role() & Role.AUDITOR.bit) != 0);
      if (!auditor) {
        throw CaError.refused("Access denied.");
      }
      X509Certificate cert = eca.signingCertificate(req).orElseThrow(() -> CaError.refused("Access denied."));
      byte[] unsigned = in.toBuilder().clearSig().build().toByteArray();
      if (!Requests.verify(level, (ECPublicKey) cert.getPublicKey(), unsigned, in.hasSig() ? in.getSig() : null)) {
        throw CaError.refused("Signature verification failed.");
      }
      UserSet.Builder set = UserSet.newBuilder();
      for (UserRecord u : eca.users()) {
        if ((u.role() & in.getRoleValue()) != 0) {
          set.addUsers(User.newBuilder().setId(Identity.newBuilder().setId(u.id())).setRoleValue(u.role()));
        }
      }
      return set.build();
    });
  }

  @Override
  public void revokeCertificate(ECertRevokeReq in, StreamObserver<CAStatus> out) {
    out.onError(CaError.unimplemented("ECAA:RevokeCertificate method not (yet) implemented"));
  }

  @Override
  public void publishCRL(ECertCRLReq in, StreamObserver<CAStatus> out) {
    out.onError(CaError.unimplemented("ECAA:PublishCRL method not (yet) implemented"));
  }
}
