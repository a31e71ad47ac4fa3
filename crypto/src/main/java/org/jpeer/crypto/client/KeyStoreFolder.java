package org.jpeer.crypto.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.SecurityLevel;

/**
 * A member's key store as the original lays it out: {@code <root>/ks/raw/} with
 * {@code enrollment.id}, {@code enrollment.key} (SEC1 PEM), {@code enrollment.cert},
 * {@code chain.key} and the three CA roots ({@code eca|tca|tlsca.cert.chain}). Unlike the
 * original's (files 0700, folders 0755) everything here is owner-only, and {@code enrollment.cert}
 * is written last, so a store cut off while being written reads as absent, never as half a member.
 * The original's SQLite TCert tables are not kept: unused TCerts are dropped at restart, which
 * costs a batch, never a reuse.
 */
public final class KeyStoreFolder {
  private static final String CERT = "CERTIFICATE";
  private static final String KDF_PEM = "AES PRIVATE KEY";

  private final Path raw;

  public KeyStoreFolder(Path memberRoot) {
    this.raw = memberRoot.resolve("ks").resolve("raw");
  }

  public Path raw() {
    return raw;
  }

  /** The stored member, or empty when nothing (or only an interrupted write) is there. */
  public Optional<MemberCredentials> load(SecurityLevel level) throws IOException, GeneralSecurityException {
    if (!Files.exists(raw.resolve("enrollment.cert"))) {
      return Optional.empty();
    }
    String id = Files.readString(raw.resolve("enrollment.id"), StandardCharsets.UTF_8);
    return Optional.of(new MemberCredentials(
        id,
        level,
        EcKeys.parseSec1(EcKeys.unpem(read("enrollment.key"), EcKeys.PRIVATE_PEM)),
        cert("enrollment.cert"),
        Files.readAllBytes(raw.resolve("chain.key")),
        cert("eca.cert.chain"),
        cert("tca.cert.chain"),
        cert("tlsca.cert.chain")));
  }

  public void save(MemberCredentials m) throws IOException {
    Files.createDirectories(raw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    write("enrollment.id", m.enrollId().getBytes(StandardCharsets.UTF_8));
    write("enrollment.key", EcKeys.pem(EcKeys.PRIVATE_PEM, EcKeys.sec1(m.enrolmentKey())).getBytes(StandardCharsets.US_ASCII));
    write("chain.key", m.chainKeyPem());
    write("eca.cert.chain", pem(m.ecaRoot()));
    write("tca.cert.chain", pem(m.tcaRoot()));
    write("tlsca.cert.chain", pem(m.tlscaRoot()));
    write("enrollment.cert", pem(m.enrolmentCert()));
  }

  /** {@code tca.kdf.key}: the member's TCert KDF key, PEM {@code AES PRIVATE KEY} as the original. */
  public void saveKdfKey(byte[] kdfKey) throws IOException {
    write("tca.kdf.key", EcKeys.pem(KDF_PEM, kdfKey).getBytes(StandardCharsets.US_ASCII));
  }

  /** The stored KDF key, or empty before the member's first TCert batch. */
  public Optional<byte[]> kdfKey() throws IOException, GeneralSecurityException {
    if (!Files.exists(raw.resolve("tca.kdf.key"))) {
      return Optional.empty();
    }
    return Optional.of(EcKeys.unpem(read("tca.kdf.key"), KDF_PEM));
  }

  private static byte[] pem(java.security.cert.X509Certificate c) {
    return EcKeys.pem(CERT, Certificates.der(c)).getBytes(StandardCharsets.US_ASCII);
  }

  private String read(String name) throws IOException {
    return Files.readString(raw.resolve(name), StandardCharsets.US_ASCII);
  }

  private java.security.cert.X509Certificate cert(String name) throws IOException, GeneralSecurityException {
    return Certificates.parse(EcKeys.unpem(read(name), CERT), raw.resolve(name).toString());
  }

  private void write(String name, byte[] content) throws IOException {
    Path target = raw.resolve(name);
    Path tmp = raw.resolve(name + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(tmp + " appeared while the key store was being written", e);
    }
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
