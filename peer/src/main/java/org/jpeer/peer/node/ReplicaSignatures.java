package org.jpeer.peer.node;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import java.util.function.Function;
import org.jpeer.consensus.pbft.ViewChangeSignatures;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.security.GoEcdsa;
import org.jpeer.protos.PeerEndpoint;

/**
 * VIEW-CHANGE signatures with {@code security.enabled}: ECDSA (DER) by this validator's enrolment
 * key; another replica's must verify with the enrolment certificate of the peer {@code vp<replica>}
 * that its DISC_HELLO proved, and that certificate must be a validator's. Only certificates already
 * checked at the hello are used, so a check never waits for the membership service on the event loop;
 * a replica not connected to this one cannot be checked, and its VIEW-CHANGE is ignored until it is.
 */
final class ReplicaSignatures implements ViewChangeSignatures {
  private final MemberCredentials self;
  private final int selfReplica;
  private final EnrolledPeers peers;
  private final Function<String, Optional<PeerEndpoint>> connected;

  ReplicaSignatures(MemberCredentials self, int selfReplica, EnrolledPeers peers,
      Function<String, Optional<PeerEndpoint>> connected) {
    this.self = self;
    this.selfReplica = selfReplica;
    this.peers = peers;
    this.connected = connected;
  }

  @Override
  public byte[] sign(byte[] unsigned) {
    return GoEcdsa.der(GoEcdsa.sign(self.level(), self.enrolmentKey(), unsigned));
  }

  @Override
  public boolean verify(int replica, byte[] unsigned, byte[] signature) {
    X509Certificate cert = replica == selfReplica
        ? self.enrolmentCert()
        : connected.apply("vp" + replica).flatMap(ep -> peers.checked(ep.getPkiID().toByteArray())).orElse(null);
    if (cert == null || EnrolledPeers.role(cert) != 4 || !(cert.getPublicKey() instanceof ECPublicKey key)) {
      return false;
    }
    BigInteger[] rs = GoEcdsa.parseDer(signature);
    return rs != null && GoEcdsa.verify(self.level(), key, unsigned, rs[0], rs[1]);
  }
}
