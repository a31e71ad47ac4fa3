package org.jpeer.membersrvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.Ecies;
import org.jpeer.crypto.security.SecurityLevel;
import org.jpeer.protos.membersrvc.CertPair;
import org.jpeer.protos.membersrvc.ECertCreateReq;
import org.jpeer.protos.membersrvc.ECertCreateResp;
import org.jpeer.protos.membersrvc.FetchAttrsResult;
import org.jpeer.protos.membersrvc.RegisterUserReq;
import org.jpeer.protos.membersrvc.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolment CA: users, the two-round-trip ECert enrolment, registration by registrars. Its
 * answers and texts are the original's (membersrvc/ca/eca*.go) except where a note says otherwise.
 *
 * <p>Differences, each on purpose: an unknown id is answered as a wrong secret (the original says
 * "Identity lookup error: sql: no rows in result set", which tells a guesser which ids exist);
 * wrong secrets are throttled per id; an enrolment cut off after its first round may start again
 * with the secret (on the original the id is then stuck for good); secrets and challenges are stored
 * hashed.
 */
final class Eca {
  static final String ROLE_OID = "2.1.3.4.5.6.7";
  private static final Logger LOG = LoggerFactory.getLogger(Eca.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  // what an unknown id's token is checked against, so that it costs the same as a known one's
  private static final String DUMMY_HASH = SecretHash.of(new byte[] {0});
  private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final CertificateAuthority ca;
  private final CaStore store;
  private final SecurityLevel level;
  private final Affiliations affiliations;
  private final EnrolmentLimiter limiter;
  private final byte[] chainKey; // obc.aes: the symmetric chain key handed to every enrolled member
  private final byte[] chainPrivatePem; // obc.ecies: validators get the private key ...
  private final byte[] chainPublicPem; // ... everyone else the public key
  private final Object writes = new Object();

  Eca(CertificateAuthority ca, CaStore store, SecurityLevel level, Affiliations affiliations, EnrolmentLimiter limiter,
      Path stateDir) {
    this.ca = ca;
    this.store = store;
    this.level = level;
    this.affiliations = affiliations;
    this.limiter = limiter;
    this.chainKey = ChainKeys.symmetric(stateDir.resolve("obc.aes"));
    KeyPair chain = ChainKeys.ecies(stateDir.resolve("obc.ecies"), level);
    this.chainPrivatePem =
        EcKeys.pem(EcKeys.PRIVATE_PEM, EcKeys.sec1((ECPrivateKey) chain.getPrivate())).getBytes(StandardCharsets.US_ASCII);
    this.chainPublicPem =
        EcKeys.pem(EcKeys.PUBLIC_PEM, chain.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII);
  }

  CertificateAuthority authority() {
    return ca;
  }

  /** Stores the affiliation groups and the users of the configuration that are not yet stored. */
  int seed(List<MembersrvcOptions.UserLine> users) {
    affiliations.parents().forEach((name, parent) -> {
      if (store.affiliationParent(name).isEmpty()) {
        store.putAffiliation(name, parent);
      }
    });
    int added = 0;
    for (MembersrvcOptions.UserLine u : users) {
      if (store.user(u.id()).isPresent()) {
        continue;
      }
      Role role = Role.ofBit(u.role()).orElseThrow();
      String enrollmentId = enrollmentId(u.id(), u.affiliation(), role);
      store.putUser(new UserRecord(u.id(), enrollmentId, u.role(), u.metadata(),
          SecretHash.of(u.secret().getBytes(StandardCharsets.UTF_8)), UserRecord.REGISTERED, "", new byte[0]));
      added++;
    }
    return added;
  }

  ECertCreateResp createCertificatePair(ECertCreateReq in) {
    String id = Requests.id(in.hasId() ? in.getId() : null, "id");
    if (!in.hasTok() || in.getTok().getTok().isEmpty()) {
      throw CaError.malformed("tok (the enrolment secret) is missing");
    }
    Duration wait = limiter.waitFor(id);
    if (!wait.isZero()) {
      throw CaError.throttled("Too many failed enrolment attempts for " + id + "; retry in "
          + Math.max(1, (wait.toMillis() + 999) / 1000) + " s.");
    }
    ECPublicKey encKey = Requests.ecdsaKey(level, in.getEnc(), "enc", "Unsupported (encryption) key type.");
    byte[] tok = in.getTok().getTok().toByteArray();
    // Both hashes run for every request, known id or not and whatever its state, so the time of an
    // answer says nothing about the id; they run outside the lock so that guesses do not queue
    // everyone else's enrolment behind them.
    UserRecord user = store.user(id).orElse(null);
    boolean secret = SecretHash.matches(user == null ? DUMMY_HASH : user.secretHash(), tok) && user != null;
    boolean challenge =
        SecretHash.matches(user == null || user.challengeHash().isEmpty() ? DUMMY_HASH : user.challengeHash(), tok)
            && user != null && !user.challengeHash().isEmpty();
    synchronized (writes) {
      if (user != null && !user.equals(store.user(id).orElse(null))) {
        throw CaError.refused("Another enrolment of " + id + " is in progress; retry.");
      }
      if (user != null && user.state() == UserRecord.ENROLLED && (secret || challenge)) {
        throw CaError.refused("Invalid (=expired) certificate creation token provided.");
      }
      if (!secret && !(challenge && user.state() == UserRecord.CHALLENGED)) {
        int failures = limiter.failed(id);
        LOG.warn("enrolment of {} refused: wrong secret or challenge ({} in a row)", id, failures);
        throw CaError.refused("Identity or token does not match.");
      }
      if (secret) {
        return challenge(user, in, encKey);
      }
      return issue(user, in, encKey);
    }
  }

  private ECertCreateResp challenge(UserRecord user, ECertCreateReq in, ECPublicKey encKey) {
    String challenge = randomToken(12);
    byte[] enc = in.getEnc().getKey().toByteArray();
    store.putUser(user.challenged(SecretHash.of(challenge.getBytes(StandardCharsets.US_ASCII)), enc));
    byte[] sealed = Ecies.encrypt(level, encKey, challenge.getBytes(StandardCharsets.US_ASCII));
    return ECertCreateResp.newBuilder().setTok(Token.newBuilder().setTok(ByteString.copyFrom(sealed))).build();
  }

  private ECertCreateResp issue(UserRecord user, ECertCreateReq in, ECPublicKey encKey) {
    if (!MessageDigest.isEqual(in.getEnc().getKey().toByteArray(), user.encKey())) {
      throw CaError.refused("Encryption keys do not match.");
    }
    ECPublicKey signKey = Requests.ecdsaKey(level, in.getSign(), "sign", "Unsupported (signing) key type.");
    byte[] unsigned = in.toBuilder().clearSig().build().toByteArray();
    if (!Requests.verify(level, signKey, unsigned, in.hasSig() ? in.getSig() : null)) {
      limiter.failed(user.id());
      throw CaError.refused("Signature verification failed.");
    }
    List<CertificateAuthority.Ext> role =
        List.of(new CertificateAuthority.Ext(ROLE_OID, true, Integer.toString(user.role()).getBytes(StandardCharsets.US_ASCII)));
    byte[] sign = ca.issue(user.enrollmentId(), CertificateAuthority.randomSerial(), signKey,
        CertificateAuthority.DIGITAL_SIGNATURE, role);
    byte[] enc = ca.issue(user.enrollmentId(), CertificateAuthority.randomSerial(), encKey,
        CertificateAuthority.DATA_ENCIPHERMENT, role);
    store.putCertificates("eca", user.id(),
        List.of(ca.keep(sign, CertificateAuthority.DIGITAL_SIGNATURE), ca.keep(enc, CertificateAuthority.DATA_ENCIPHERMENT)),
        user.enrolled());
    limiter.succeeded(user.id());
    LOG.info("enrolled {} ({})", user.id(), Role.ofBit(user.role()).map(r -> r.text).orElse("role " + user.role()));
    return ECertCreateResp.newBuilder()
        .setCerts(CertPair.newBuilder().setSign(ByteString.copyFrom(sign)).setEnc(ByteString.copyFrom(enc)))
        .setChain(Token.newBuilder().setTok(ByteString.copyFrom(chainKey)))
        .setPkchain(ByteString.copyFrom(user.role() == Role.VALIDATOR.bit ? chainPrivatePem : chainPublicPem))
        .setFetchResult(FetchAttrsResult.newBuilder().setStatus(FetchAttrsResult.StatusCode.SUCCESS))
        .build();
  }

  /** The signing ECert of an enrolled id. */
  Optional<X509Certificate> signingCertificate(String id) {
    return store.certificate("eca", id, CertificateAuthority.DIGITAL_SIGNATURE).map(der -> {
      try {
        return CertificateAuthority.parse(der);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("corrupt certificate of " + id, e);
      }
    });
  }

  /** ECAA.RegisterUser: a registrar, identified by the signature of its ECert, registers a new member. */
  Token registerUser(RegisterUserReq in) {
    if (!in.hasRegistrar() || !in.getRegistrar().hasId() || in.getRegistrar().getId().getId().isEmpty()) {
      throw CaError.refused("no registrar was specified");
    }
    String registrar = Requests.id(in.getRegistrar().getId(), "registrar.id");
    X509Certificate cert = signingCertificate(registrar)
        .orElseThrow(() -> CaError.refused("member " + registrar + " is not enrolled"));
    byte[] unsigned = in.toBuilder().clearSig().build().toByteArray();
    if (!Requests.verify(level, (ECPublicKey) cert.getPublicKey(), unsigned, in.hasSig() ? in.getSig() : null)) {
      throw CaError.refused("Signature verification failed.");
    }
    String id = Requests.id(in.hasId() ? in.getId() : null, "id");
    Role role = Role.ofBit(in.getRoleValue())
        .orElseThrow(() -> CaError.refused("the role " + in.getRoleValue() + " is not one role (1, 2, 4 or 8)"));
    String metadata = registrarMetadata(in);
    synchronized (writes) {
      checkMayRegister(registrar, role, metadata);
      String enrollmentId = enrollmentId(id, in.getAffiliation(), role);
      if (store.user(id).isPresent()) {
        throw CaError.refused("User is already registered");
      }
      String token = randomToken(12);
      store.putUser(new UserRecord(id, enrollmentId, role.bit, metadata,
          SecretHash.of(token.getBytes(StandardCharsets.US_ASCII)), UserRecord.REGISTERED, "", new byte[0]));
      LOG.info("{} registered {} as {}", registrar, id, role.text);
      return Token.newBuilder().setTok(ByteString.copyFromUtf8(token)).build();
    }
  }

  List<UserRecord> users() {
    return store.users();
  }

  // Go's json.Marshal of RegisterUserReq{Registrar: {roles, delegateRoles}} with omitempty
  private static String registrarMetadata(RegisterUserReq in) {
    ObjectNode registrar = JSON.createObjectNode();
    if (in.getRegistrar().getRolesCount() > 0) {
      in.getRegistrar().getRolesList().forEach(registrar.putArray("roles")::add);
    }
    if (in.getRegistrar().getDelegateRolesCount() > 0) {
      in.getRegistrar().getDelegateRolesList().forEach(registrar.putArray("delegateRoles")::add);
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("registrar", registrar);
    return root.toString();
  }

  private void checkMayRegister(String registrar, Role role, String newMetadata) {
    String mine = store.user(registrar).map(UserRecord::metadata).orElse("");
    if (mine.isEmpty()) {
      throw CaError.refused("member " + registrar + " is not a registrar");
    }
    List<String> roles = strings(mine, "roles");
    if (!roles.contains(role.text)) {
      throw CaError.refused("member " + registrar + " may not register member of type " + role.text);
    }
    List<String> delegate = strings(mine, "delegateRoles");
    for (String r : strings(newMetadata, "roles")) {
      if (!delegate.contains(r)) {
        throw CaError.refused("user " + registrar + " may not register delegateRoles " + r);
      }
    }
  }

  private static List<String> strings(String metadata, String field) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode n = JSON.readTree(metadata).path("registrar").path(field);
      n.forEach(v -> out.add(v.asText()));
    } catch (IOException e) {
      throw CaError.refused("unreadable registrar metadata: " + e.getMessage());
    }
    return out;
  }

  private String enrollmentId(String id, String affiliation, Role role) {
    if (!role.needsAffiliation()) {
      return "";
    }
    if (!affiliations.contains(affiliation)) {
      throw CaError.refused("Invalid affiliation group " + affiliation);
    }
    return id + "\\" + affiliation;
  }

  private static String randomToken(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(TOKEN_CHARS.charAt(RANDOM.nextInt(TOKEN_CHARS.length())));
    }
    return b.toString();
  }

  /** The chain keys the ECA hands to enrolled members, made on the first start. */
  static final class ChainKeys {
    private ChainKeys() {}

    static byte[] symmetric(Path file) {
      try {
        if (Files.exists(file)) {
          return Base64.getDecoder().decode(Files.readString(file).trim());
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        StateFiles.writeOwnerOnly(file, Base64.getEncoder().encodeToString(key));
        return key;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read or write " + file, e);
      }
    }

    static KeyPair ecies(Path file, SecurityLevel level) {
      try {
        if (Files.exists(file)) {
          ECPrivateKey key = EcKeys.parseSec1(EcKeys.unpem(Files.readString(file), EcKeys.PRIVATE_PEM));
          return new KeyPair(EcKeys.publicOf(level, key), key);
        }
        KeyPair pair = EcKeys.generate(level);
        StateFiles.writeOwnerOnly(file, EcKeys.pem(EcKeys.PRIVATE_PEM, EcKeys.sec1((ECPrivateKey) pair.getPrivate())));
        return pair;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read or write " + file, e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(file + " is unreadable: " + e.getMessage(), e);
      }
    }
  }
}
