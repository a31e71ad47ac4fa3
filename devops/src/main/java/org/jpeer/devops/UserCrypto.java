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
import java.util.regex.Pattern;
import org.jpeer.crypto.client.EnrolmentException;
import org.jpeer.crypto.client.KeyStoreFolder;
import org.jpeer.crypto.client.MemberCredentials;
import org.jpeer.crypto.client.MembershipClient;
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
        log.warn("login of {} refused: {}", id, e.getMessage());
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
    return pools.computeIfAbsent(user, u -> new TCertPool(client, member, tcertBatch));
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
