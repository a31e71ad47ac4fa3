package org.jpeer.membersrvc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The membership service's state besides its key files: users, issued certificates, TCert sets and
 * affiliations, in one RocksDB under {@code <rootpath>/<cadir>/db}. Every change is one synced
 * write, so a user answered "enrolled" stays enrolled after a crash.
 *
 * <p>Keys: {@code u/<id>} user (JSON), {@code c/<ca>/<id>/<usage>} certificate DER,
 * {@code h/<ca>/<hash hex>} certificate DER by hash, {@code t/<id>/<ts>} TCert set (JSON),
 * {@code a/<name>} affiliation's parent.
 */
final class CaStore implements AutoCloseable {
  record TCertSet(String id, long timestamp, byte[] nonce, byte[] kdfKey) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions synced = new WriteOptions().setSync(true);

  private CaStore(Options options, RocksDB db) {
    this.options = options;
    this.db = db;
  }

  static CaStore open(Path dir) {
    Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2).setMaxOpenFiles(64);
    try {
      return new CaStore(options, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      if (why.contains("lock")) {
        why = "another membership service has it open (" + why + ")";
      }
      throw new IllegalStateException("cannot open the membership state in " + dir + ": " + why, e);
    }
  }

  Optional<UserRecord> user(String id) {
    byte[] raw = get("u/" + id);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(raw, UserRecord.class));
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt user record " + id, e);
    }
  }

  List<UserRecord> users() {
    List<UserRecord> out = new ArrayList<>();
    for (byte[] raw : valuesWithPrefix("u/")) {
      try {
        out.add(JSON.readValue(raw, UserRecord.class));
      } catch (IOException e) {
        throw new UncheckedIOException("corrupt user record", e);
      }
    }
    return out;
  }

  void putUser(UserRecord u) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(key("u/" + u.id()), JSON.writeValueAsBytes(u));
      write(b);
    } catch (IOException | RocksDBException e) {
      throw failure("store user " + u.id(), e);
    }
  }

  /** Stores the certificates of an identity and moves its user record on, in one write. */
  void putCertificates(String ca, String id, List<IssuedCertificate> certs, UserRecord user) {
    try (WriteBatch b = new WriteBatch()) {
      for (IssuedCertificate c : certs) {
        b.put(key("c/" + ca + "/" + id + "/" + c.usage()), c.der());
        b.put(key("h/" + ca + "/" + HexFormat.of().formatHex(c.hash())), c.der());
      }
      if (user != null) {
        b.put(key("u/" + user.id()), JSON.writeValueAsBytes(user));
      }
      write(b);
    } catch (IOException | RocksDBException e) {
      throw failure("store the certificates of " + id, e);
    }
  }

  Optional<byte[]> certificate(String ca, String id, int usage) {
    return Optional.ofNullable(get("c/" + ca + "/" + id + "/" + usage));
  }

  Optional<byte[]> certificateByHash(String ca, byte[] hash) {
    return Optional.ofNullable(get("h/" + ca + "/" + HexFormat.of().formatHex(hash)));
  }

  void putTCertSet(TCertSet set) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(key("t/" + set.id() + "/" + set.timestamp() + "/" + System.nanoTime()), JSON.writeValueAsBytes(set));
      write(b);
    } catch (IOException | RocksDBException e) {
      throw failure("store a TCert set of " + set.id(), e);
    }
  }

  Optional<String> affiliationParent(String name) {
    byte[] raw = get("a/" + name);
    return raw == null ? Optional.empty() : Optional.of(new String(raw, StandardCharsets.UTF_8));
  }

  void putAffiliation(String name, String parent) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(key("a/" + name), parent.getBytes(StandardCharsets.UTF_8));
      write(b);
    } catch (RocksDBException e) {
      throw failure("store affiliation " + name, e);
    }
  }

  private void write(WriteBatch b) throws RocksDBException {
    db.write(synced, b);
  }

  private byte[] get(String k) {
    try {
      return db.get(key(k));
    } catch (RocksDBException e) {
      throw failure("read " + k, e);
    }
  }

  private List<byte[]> valuesWithPrefix(String prefix) {
    byte[] p = key(prefix);
    List<byte[]> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(p); it.isValid() && startsWith(it.key(), p); it.next()) {
        out.add(it.value());
      }
    }
    return out;
  }

  private static boolean startsWith(byte[] k, byte[] p) {
    if (k.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (k[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private static IllegalStateException failure(String what, Exception e) {
    return new IllegalStateException("membership state: cannot " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    synced.close();
    db.close();
    options.close();
  }
}
