package org.jpeer.peer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code peer version}. */
@Command(name = "version", description = "Print fabric peer version.")
final class VersionCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  private final CliContext context;

  VersionCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out().print(Versions.text());
    return 0;
  }
}
