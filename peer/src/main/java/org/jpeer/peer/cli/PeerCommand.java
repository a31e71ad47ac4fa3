package org.jpeer.peer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peer}: without a subcommand prints the usage, or the version with {@code -v}. */
@Command(
    name = "peer",
    description = "jpeer: a Fabric v0.6 compatible peer. Runs the peer node and talks to it.",
    synopsisSubcommandLabel = "COMMAND")
final class PeerCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = {"-v", "--version"},
      description = "Display current version of fabric peer server.")
  boolean version;

  @Spec CommandSpec spec;

  private final CliContext context;

  PeerCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (version) {
      context.out().print(Versions.text());
    } else {
      context.out().print(spec.commandLine().getUsageMessage());
    }
    return 0;
  }
}
