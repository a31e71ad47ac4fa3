package org.jpeer.peer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions {@code peer version} prints. */
final class Versions {
  /** The Fabric release whose wire protocol and API jpeer speaks. */
  static final String FABRIC = "0.6.1-preview";

  private Versions() {}

  /** jpeer's own version, from the build. */
  static String jpeer() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/org/jpeer/peer/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("jpeer.version", "unknown");
  }

  static String text() {
    return "Fabric peer server version " + FABRIC + "\njpeer version " + jpeer() + "\n";
  }
}
