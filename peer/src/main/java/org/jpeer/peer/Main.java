package org.jpeer.peer;

import java.nio.file.Path;
import org.jpeer.peer.cli.PeerCli;

/** The {@code peer} executable. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PeerCli.run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err));
  }
}
