package org.jpeer.peer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code peer node}, {@code peer chaincode}, {@code peer network}: alone they print their usage. */
@Command(synopsisSubcommandLabel = "COMMAND")
final class GroupCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  private final CliContext context;

  GroupCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out().print(spec.commandLine().getUsageMessage());
    return 0;
  }
}
