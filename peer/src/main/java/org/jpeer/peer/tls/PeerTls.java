package org.jpeer.peer.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jpeer.config.TlsSettings;

/**
 * The peer's TLS identity and trust from {@code peer.tls.*}, read and checked once: server
 * credentials for its gRPC server and event hub and an {@link SSLContext} for REST ({@link Dialer}
 * is the client side). The key may be PKCS#8 or the SEC1 / PKCS#1 PEM forms Go's tools
 * write (Netty takes PKCS#8 only, so it is converted in memory); an encrypted key is refused.
 */
public final class PeerTls {
  private final TlsSettings settings;
  private final byte[] certChainPem;
  private final byte[] pkcs8KeyPem;
  private final PrivateKey key;
  private final Certificate[] chain;

  private PeerTls(TlsSettings settings, byte[] certChainPem, byte[] pkcs8KeyPem, PrivateKey key, Certificate[] chain) {
    this.settings = settings;
    this.certChainPem = certChainPem;
    this.pkcs8KeyPem = pkcs8KeyPem;
    this.key = key;
    this.chain = chain;
  }

  /**
   * Reads the certificate chain and key of a TLS server.
   *
   * @throws TlsException naming the key and the file when either cannot be read or used
   */
  public static PeerTls server(TlsSettings settings) throws TlsException {
    byte[] certs = read(settings.certFile(), "peer.tls.cert.file");
    Certificate[] chain;
    try {
      Collection<? extends Certificate> parsed =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certs));
      if (parsed.isEmpty()) {
        throw new TlsException("peer.tls.cert.file " + settings.certFile() + " holds no PEM certificate");
      }
      chain = parsed.toArray(new Certificate[0]);
    } catch (GeneralSecurityException e) {
      throw new TlsException("peer.tls.cert.file " + settings.certFile() + " is not a PEM certificate chain: "
          + e.getMessage());
    }
    read(settings.keyFile(), "peer.tls.key.file");
    PrivateKeyInfo info = privateKey(settings.keyFile());
    PrivateKey key;
    try {
      key = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new TlsException("peer.tls.key.file " + settings.keyFile() + ": unsupported key: " + e.getMessage());
    }
    if (!chain[0].getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new TlsException("peer.tls.key.file " + settings.keyFile() + " holds a " + key.getAlgorithm()
          + " key, but the certificate of peer.tls.cert.file is for a " + chain[0].getPublicKey().getAlgorithm()
          + " key");
    }
    checkPair(key, chain[0], settings);
    byte[] pkcs8;
    try {
      pkcs8 = ("-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info.getEncoded())
          + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TlsException("peer.tls.key.file " + settings.keyFile() + ": cannot encode the key: " + e.getMessage());
    }
    PeerTls tls = new PeerTls(settings, certs, pkcs8, key, chain);
    tls.sslContext(); // the JDK checks that key and certificate belong together here
    return tls;
  }

  public TlsSettings settings() {
    return settings;
  }

  /** For the peer's gRPC server and event hub. */
  public ServerCredentials serverCredentials() {
    try {
      return TlsServerCredentials.create(new ByteArrayInputStream(certChainPem), new ByteArrayInputStream(pkcs8KeyPem));
    } catch (IOException e) {
      throw new IllegalStateException("checked when read", e);
    }
  }

  /** For REST (Jetty): the same identity. */
  public SSLContext sslContext() throws TlsException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("peer", key, password, chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("peer.tls.key.file " + settings.keyFile() + " and peer.tls.cert.file "
          + settings.certFile() + " do not make a TLS identity: " + e.getMessage());
    }
  }

  /** The JDK would take a key that does not belong to the certificate and fail every handshake. */
  private static void checkPair(PrivateKey key, Certificate cert, TlsSettings settings) throws TlsException {
    if (!org.jpeer.crypto.security.KeyPairCheck.belongTogether(key, cert).orElse(true)) {
      throw new TlsException("peer.tls.key.file " + settings.keyFile() + " is not the key of the first certificate in "
          + "peer.tls.cert.file " + settings.certFile());
    }
  }

  private static byte[] read(Path file, String key) throws TlsException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsException("cannot read " + key + " " + file + ": " + reason(e));
    }
  }

  private static PrivateKeyInfo privateKey(Path file) throws TlsException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      if (o instanceof PEMKeyPair pair) {
        return pair.getPrivateKeyInfo();
      }
      if (o instanceof PrivateKeyInfo info) {
        return info;
      }
      if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new TlsException("peer.tls.key.file " + file + " is encrypted; the peer takes an unencrypted key "
            + "(keep the file readable by the peer's user only)");
      }
      throw new TlsException("peer.tls.key.file " + file + " holds no PEM private key"
          + (o == null ? "" : " (found " + o.getClass().getSimpleName() + ")"));
    } catch (IOException e) {
      throw new TlsException("peer.tls.key.file " + file + " is not a PEM private key: " + reason(e));
    }
  }

  static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Why a TLS setting cannot be used, in one line naming the key. */
  public static final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
      super(message);
    }
  }
}
