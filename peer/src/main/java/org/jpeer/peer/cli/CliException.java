package org.jpeer.peer.cli;

/**
 * A command failed in a way the user can act on. Printed as {@code Error: <message>}; when the
 * user's arguments were at fault the command's usage follows, as the original's cobra does.
 */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean showUsage;

  private CliException(String message, boolean showUsage, Throwable cause) {
    super(message, cause);
    this.showUsage = showUsage;
  }

  /** The arguments are wrong: the message, then the usage. */
  static CliException usage(String message) {
    return new CliException(message, true, null);
  }

  /** Something outside the arguments failed (connection, peer answer, file system). */
  static CliException failure(String message) {
    return new CliException(message, false, null);
  }

  static CliException failure(String message, Throwable cause) {
    return new CliException(message, false, cause);
  }

  boolean showUsage() {
    return showUsage;
  }
}
