package org.jpeer.crypto.client;

import java.security.interfaces.ECPrivateKey;

/** One transaction certificate and the private key its owner derived for it. */
public record TCertKey(byte[] certDer, ECPrivateKey key) {
  public TCertKey {
    certDer = certDer.clone();
  }

  @Override
  public byte[] certDer() {
    return certDer.clone();
  }

  @Override
  public String toString() {
    return "TCertKey[" + certDer.length + " bytes]";
  }
}
