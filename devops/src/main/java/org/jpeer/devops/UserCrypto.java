package org.jpeer.devops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.jpeer.crypto.client.EnrolmentException;
import org.jpeer.crypto.client.KeyStoreFolder;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.client.MembershipClient;
import org.jpeer.crypto.client.TCertBatch;
import org.jpeer.crypto.client.TCertKey;
import org.jpeer.crypto.client.TCertPool;
import org.jpeer.crypto.client.TransactionSignatures;
import org.jpeer.protos.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of a secured peer ({@code security.enabled}): their enrolment through the membership
 * service, their key stores under {@code <peer.fileSystemPath>/crypto/client/<id>}, their login
 * tokens under {@code <peer.fileSystemPath>/client/}, and the TCerts their transactions are signed
 * with. Thread-safe: logins of one id are serialised, of different ids not.
 */
public final class UserCrypto {
  private static final Logger log = LoggerFactory.getLogger(UserCrypto.class);
  // what no id may hold, whatever rest.validPatterns.enrollmentID allows: it names files
  private static final Pattern SAFE_ID = Pattern.compile("[^/\\\\\\x00-\\x20]{1,64}");

  private final MembershipClient client;
  private final Path tokenDir;
  private final Path cryptoDir;
  private final int tcertBatch;
  private final Object[] loginLocks = new Object[64];
  private final ConcurrentHashMap<String, TCertPool> pools = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, byte[]> kdfKeys = new ConcurrentHashMap<>();
  private final PreparedBindings prepared = new PreparedBindings();
  // background TCert fetches: daemon threads, gone after a minute idle, so nothing to close
  private final ExecutorService tcertFetches = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcert-fetch");
    t.setDaemon(true);
    return t;
  });

  public UserCrypto(MembershipClient client, Path fileSystemPath, int tcertBatch) {
    this.client = client;
    this.tokenDir = fileSystemPath.resolve("client");
    this.cryptoDir = fileSystemPath.resolve("crypto").resolve("client");
    this.tcertBatch = tcertBatch;
    for (int i = 0; i < loginLocks.length; i++) {
      loginLocks[i] = new Object();
    }
  }

  /**
   * Enrols {@code id} unless its key store is already here (then nothing is asked of the CA, as
   * the original's "already registered"), then writes its login token. Nothing is written unless
   * the enrolment succeeded, so a wrong secret leaves nothing behind to spoil the next, right one.
   * Both logins, REST's and Devops', write the token here, so that every deploy, invoke and query,
   * whichever API it comes through, can require it ({@link #requireLoggedIn}).
   *
   * @throws DevopsException with the CA's own text when it refuses
   */
  public void login(String id, String secret) throws DevopsException {
    requireSafe(id);
    synchronized (loginLocks[Math.floorMod(id.hashCode(), loginLocks.length)]) {
      try {
        KeyStoreFolder store = new KeyStoreFolder(cryptoDir.resolve(id));
        if (stored(id, store).isPresent()) {
          log.debug("user {} already has a key store here", id);
        } else {
          MemberCredentials member = client.enrol(id, secret);
          store.save(member);
          log.info("user {} enrolled", id);
        }
        writeToken(id);
      } catch (EnrolmentException e) {
        // DEBUG: the caller gets the CA's text and the membership service logs wrong secrets
        // itself; a WARN here would let any REST client flood the peer's log
        log.debug("login of {} refused: {}", id, e.getMessage());
        throw new DevopsException(e.getMessage(), e);
      } catch (IOException e) {
        throw new DevopsException("cannot store the key store or the login token of " + id + ": " + e.getMessage(), e);
      }
    }
  }

  /** The login token file, {@code loginToken_<id>}: owner-only (the original writes 0755). */
  public Path token(String id) {
    return tokenDir.resolve("loginToken_" + id);
  }

  private void writeToken(String id) throws IOException {
    Files.createDirectories(tokenDir);
    Path tmp = tokenDir.resolve(".loginToken_" + id + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, id, StandardCharsets.UTF_8);
    Files.move(tmp, token(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The content of the user's login token (its id), or null when there is none. */
  public String readToken(String id) throws IOException {
    if (!safe(id) || !Files.isRegularFile(token(id))) {
      return null;
    }
    return Files.readString(token(id), StandardCharsets.UTF_8);
  }

  /** Refuses a user without a login token here: logged out, or never logged in at this peer. */
  public void requireLoggedIn(String user) throws DevopsException {
    try {
      if (readToken(user) != null) {
        return;
      }
    } catch (IOException e) {
      throw new DevopsException("cannot read the login token of " + user + ": " + e.getMessage(), e);
    }
    throw new DevopsException("User " + user + " is not logged in at this peer: log in through /registrar or"
        + " 'peer network login' first.");
  }

  /** Forgets the user's TCerts after {@code DELETE /registrar/<id>} removed its files. */
  public void forget(String id) {
    pools.remove(id);
    kdfKeys.remove(id);
  }

  /** Signs {@code unsigned} with a fresh TCert of {@code user} (§2.5). */
  public Transaction sign(String user, Transaction unsigned) throws DevopsException {
    TCertPool pool = pool(user);
    try {
      TCertKey tcert = pool.take();
      return TransactionSignatures.sign(client.level(), unsigned, tcert);
    } catch (EnrolmentException e) {
      throw new DevopsException("cannot get a TCert for " + user + ": " + e.getMessage(), e);
    }
  }

  /** The user's enrolment (signing) certificate. */
  public MemberCredentials member(String user) throws DevopsException {
    return pool(user).member();
  }

  /** One unused TCert of the user, consumed. */
  public TCertKey takeTCert(String user) throws DevopsException {
    try {
      return pool(user).take();
    } catch (EnrolmentException e) {
      throw new DevopsException("cannot get a TCert for " + user + ": " + e.getMessage(), e);
    }
  }

  private TCertPool pool(String user) throws DevopsException {
    requireSafe(user);
    TCertPool pool = pools.get(user);
    if (pool != null) {
      return pool;
    }
    MemberCredentials member;
    try {
      member = stored(user, new KeyStoreFolder(cryptoDir.resolve(user))).orElseThrow(() -> new DevopsException(
          "user " + user + " has no key store on this peer (" + cryptoDir.resolve(user) + "): log in again"));
    } catch (IOException e) {
      throw new DevopsException("cannot read the key store of " + user + ": " + e.getMessage(), e);
    }
    KeyStoreFolder store = new KeyStoreFolder(cryptoDir.resolve(user));
    return pools.computeIfAbsent(user, u -> new TCertPool(member, count -> {
      TCertBatch batch = client.tcertBatch(member, count);
      rememberKdfKey(u, store, batch.kdfKey());
      return batch.tcerts();
    }, tcertBatch, tcertFetches));
  }

  /** Kept beside the key store ({@code tca.kdf.key}, as the original), for {@link #sigma}. */
  private void rememberKdfKey(String user, KeyStoreFolder store, byte[] kdfKey) {
    byte[] known = kdfKeys.put(user, kdfKey);
    if (known != null && java.util.Arrays.equals(known, kdfKey)) {
      return;
    }
    try {
      store.saveKdfKey(kdfKey);
    } catch (IOException e) {
      log.warn("cannot store the TCert KDF key of {} in {}: {}", user, store.raw(), e.getMessage());
    }
  }

  private byte[] kdfKey(String user) throws DevopsException {
    byte[] known = kdfKeys.get(user);
    if (known != null) {
      return known;
    }
    try {
      return new KeyStoreFolder(cryptoDir.resolve(user)).kdfKey().orElseThrow(() -> new DevopsException(
          "no TCert of " + user + " has been fetched on this peer yet, so the given TCert cannot be one of theirs"));
    } catch (IOException | GeneralSecurityException e) {
      throw new DevopsException("cannot read the TCert KDF key of " + user + ": " + e.getMessage(), e);
    }
  }

  /** {@code EXP_GetApplicationTCert}: the DER of an unused TCert of the logged-in {@code user}, consumed. */
  public byte[] applicationTCert(String user) throws DevopsException {
    requireSafe(user);
    requireLoggedIn(user);
    return takeTCert(user).certDer();
  }

  /**
   * {@code EXP_PrepareForTx}: takes a TCert and a nonce for the logged-in {@code user}'s next
   * transaction and returns its binding (the hash of cert ‖ nonce the chaincode will see), which
   * {@link #signPrepared} then redeems once.
   */
  public byte[] prepare(String user) throws DevopsException {
    requireSafe(user);
    requireLoggedIn(user);
    TCertKey tcert = takeTCert(user);
    byte[] nonce = TransactionSignatures.nonce();
    byte[] cert = tcert.certDer();
    byte[] bound = java.util.Arrays.copyOf(cert, cert.length + nonce.length);
    System.arraycopy(nonce, 0, bound, cert.length, nonce.length);
    byte[] binding = client.level().hash(bound);
    prepared.put(binding, new PreparedBindings.Prepared(user, tcert, nonce));
    return binding;
  }

  /** Signs {@code unsigned} with the TCert and nonce {@code binding} was prepared for (used up). */
  public Transaction signPrepared(byte[] binding, Transaction unsigned) throws DevopsException {
    PreparedBindings.Prepared p = prepared.take(binding);
    requireLoggedIn(p.user());
    return TransactionSignatures.sign(client.level(), unsigned, p.tcert(), p.nonce());
  }

  /**
   * {@code EXP_ProduceSigma}: signs {@code appTCert ‖ data} with the key of {@code appTCert}, which
   * must be one of the logged-in {@code user}'s TCerts (its key is derived again from the
   * certificate, so one handed out before a restart works too); the marshalled {@code SigmaOutput}.
   */
  public byte[] sigma(String user, byte[] appTCert, byte[] data) throws DevopsException {
    requireSafe(user);
    requireLoggedIn(user);
    TCertKey key;
    try {
      key = client.tcertKey(member(user), kdfKey(user), appTCert);
    } catch (EnrolmentException e) {
      throw new DevopsException("the given TCert is not one of " + user + "'s: " + e.getMessage(), e);
    }
    byte[] signed = java.util.Arrays.copyOf(appTCert, appTCert.length + data.length);
    System.arraycopy(data, 0, signed, appTCert.length, data.length);
    byte[] sigma = org.jpeer.crypto.security.GoEcdsa.der(
        org.jpeer.crypto.security.GoEcdsa.sign(client.level(), key.key(), signed));
    byte[] asn1;
    try {
      asn1 = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
          new org.bouncycastle.asn1.DEROctetString(appTCert), new org.bouncycastle.asn1.DEROctetString(sigma)})
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding in memory", e);
    }
    return org.jpeer.protos.SigmaOutput.newBuilder()
        .setTcert(com.google.protobuf.ByteString.copyFrom(appTCert))
        .setSigma(com.google.protobuf.ByteString.copyFrom(sigma))
        .setAsn1Encoding(com.google.protobuf.ByteString.copyFrom(asn1))
        .build().toByteArray();
  }

  private Optional<MemberCredentials> stored(String id, KeyStoreFolder store) throws IOException, DevopsException {
    try {
      return store.load(client.level());
    } catch (GeneralSecurityException e) {
      throw new DevopsException("the key store of " + id + " in " + store.raw() + " is unreadable (" + e.getMessage()
          + "); remove it with DELETE /registrar/" + id + " and log in again", e);
    }
  }

  private static boolean safe(String id) {
    return SAFE_ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }

  private static void requireSafe(String id) throws DevopsException {
    if (!safe(id)) {
      throw new DevopsException("Invalid enrollment ID parameter");
    }
  }

}
