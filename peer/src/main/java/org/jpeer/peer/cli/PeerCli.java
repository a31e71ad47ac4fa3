package org.jpeer.peer.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jpeer.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code peer} command tree, as the original's: {@code node start|status|stop} (and jpeer's
 * {@code node health}),
 * {@code chaincode deploy|invoke|query}, {@code network login|list}, {@code version}. Errors print
 * {@code Error: <text>} on stderr (followed by the usage when the arguments were wrong) and give
 * exit code 1.
 */
public final class PeerCli {
  private static final Logger log = LoggerFactory.getLogger(PeerCli.class);

  private PeerCli() {}

  /**
   * Runs one command.
   *
   * @return the process exit code
   */
  public static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
    CliContext context = new CliContext(env, workingDir, out, err);
    CommandLine root = tree(context);
    root.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    root.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    root.setParameterExceptionHandler(
        (e, badArgs) -> {
          err.println("Error: " + parameterError(e));
          err.print(e.getCommandLine().getUsageMessage());
          err.flush();
          return 1;
        });
    root.setExecutionStrategy(
        parseResult -> {
          for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(CommonOptions.LOGGING_LEVEL)) {
              context.loggingLevel(p.matchedOptionValue(CommonOptions.LOGGING_LEVEL, (String) null));
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    root.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException cli) {
            err.println("Error: " + cli.getMessage());
            if (cli.showUsage()) {
              err.print(commandLine.getUsageMessage());
            }
            log.debug("Command failed", e);
          } else if (e instanceof ConfigException config) {
            err.println("Error: " + config.getMessage());
          } else {
            err.println("Error: " + e);
            log.warn("Unexpected failure", e);
          }
          err.flush();
          return 1;
        });
    int code = root.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Picocli's text, except for an unknown subcommand, which gets the original's (cobra's) text. */
  private static String parameterError(CommandLine.ParameterException e) {
    CommandLine command = e.getCommandLine();
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !command.getSubcommands().isEmpty()
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      return "unknown command \"" + unmatched.getUnmatched().get(0) + "\" for \""
          + command.getCommandSpec().qualifiedName() + "\"";
    }
    return e.getMessage();
  }

  private static CommandLine tree(CliContext context) {
    CommandLine root = new CommandLine(new PeerCommand(context));

    CommandLine node = group(context, "Node specific commands.");
    node.addSubcommand("start", new NodeStartCommand(context));
    node.addSubcommand("status", new NodeStatusCommand(context));
    node.addSubcommand("stop", new NodeStopCommand(context));
    node.addSubcommand("health", new NodeHealthCommand(context));
    root.addSubcommand("node", node);

    CommandLine chaincode = group(context, "chaincode specific commands.");
    chaincode.addSubcommand("deploy", new ChaincodeDeployCommand(context));
    chaincode.addSubcommand("invoke", new ChaincodeInvokeCommand(context));
    chaincode.addSubcommand("query", new ChaincodeQueryCommand(context));
    root.addSubcommand("chaincode", chaincode);

    CommandLine network = group(context, "Network specific commands.");
    network.addSubcommand("login", new NetworkLoginCommand(context));
    network.addSubcommand("list", new NetworkListCommand(context));
    root.addSubcommand("network", network);

    CommandLine events = group(context, "Event hub commands (jpeer).");
    events.addSubcommand("listen", new EventsListenCommand(context));
    root.addSubcommand("events", events);

    root.addSubcommand("version", new VersionCommand(context));
    return root;
  }

  private static CommandLine group(CliContext context, String description) {
    CommandLine group = new CommandLine(new GroupCommand(context));
    group.getCommandSpec().usageMessage().description(description);
    return group;
  }
}
