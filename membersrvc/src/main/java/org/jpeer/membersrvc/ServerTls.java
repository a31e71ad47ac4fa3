package org.jpeer.membersrvc;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.jpeer.config.ConfigException;
import org.jpeer.crypto.security.EcKeys;
import org.jpeer.crypto.security.KeyPairCheck;

/**
 * The membership service's TLS identity from {@code server.tls.cert.file} and {@code key.file},
 * read and checked at start so that a bad file is one line, not a failed handshake per client. The
 * key may be PKCS#8 ({@code PRIVATE KEY}) or the SEC1 form OpenSSL's {@code ecparam -genkey} and
 * Go write ({@code EC PRIVATE KEY}); gRPC's Netty takes PKCS#8 only, so SEC1 is converted in memory.
 */
record ServerTls(byte[] certChainPem, byte[] pkcs8KeyPem) {
  private static final String CERT = "server.tls.cert.file";
  private static final String KEY = "server.tls.key.file";

  static ServerTls read(Path certFile, Path keyFile) {
    byte[] certs = read(certFile, CERT);
    List<? extends Certificate> chain;
    try {
      chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certs)));
    } catch (GeneralSecurityException e) {
      throw new ConfigException(CERT + " " + certFile + " is not a PEM certificate chain: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new ConfigException(CERT + " " + certFile + " holds no PEM certificate");
    }
    PrivateKey key = privateKey(read(keyFile, KEY), keyFile);
    if (!belongTogether(key, chain.get(0))) {
      throw new ConfigException(KEY + " " + keyFile + " is not the key of the first certificate in " + CERT + " " + certFile);
    }
    byte[] pkcs8 = EcKeys.pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    return new ServerTls(certs, pkcs8);
  }

  ServerCredentials credentials() {
    try {
      return TlsServerCredentials.create(new ByteArrayInputStream(certChainPem), new ByteArrayInputStream(pkcs8KeyPem));
    } catch (IOException e) {
      throw new IllegalStateException("checked when read", e);
    }
  }

  private static PrivateKey privateKey(byte[] pem, Path file) {
    PemObject o;
    try (PemReader r = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      o = r.readPemObject();
    } catch (IOException e) {
      throw new ConfigException(KEY + " " + file + " is not PEM: " + e.getMessage());
    }
    if (o == null) {
      throw new ConfigException(KEY + " " + file + " holds no PEM private key");
    }
    try {
      switch (o.getType()) {
        case "PRIVATE KEY" -> {
          byte[] der = o.getContent();
          for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
              return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
              // try the next algorithm
            }
          }
          throw new ConfigException(KEY + " " + file + " holds a PKCS#8 key that is neither EC nor RSA");
        }
        case "EC PRIVATE KEY", "ECDSA PRIVATE KEY" -> {
          return EcKeys.parseSec1(o.getContent());
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new ConfigException(KEY + " " + file
            + " is encrypted; the membership service takes an unencrypted key (readable by its user only)");
        default -> throw new ConfigException(KEY + " " + file + " holds a PEM block of type " + o.getType()
            + "; expected PRIVATE KEY (PKCS#8) or EC PRIVATE KEY (convert with openssl pkcs8 -topk8 -nocrypt)");
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(KEY + " " + file + ": " + e.getMessage());
    }
  }

  private static boolean belongTogether(PrivateKey key, Certificate cert) {
    return KeyPairCheck.belongTogether(key, cert).orElse(false);
  }

  private static byte[] read(Path file, String key) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("cannot read " + key + " " + file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("cannot read " + key + " " + file + ": " + e.getMessage());
    }
  }
}
