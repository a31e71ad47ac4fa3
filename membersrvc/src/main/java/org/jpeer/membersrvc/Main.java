package org.jpeer.membersrvc;

import java.util.List;
import org.jpeer.config.ConfigException;
import org.jpeer.config.ConfigInputs;
import org.jpeer.config.MembersrvcConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/membersrvc}: runs the membership service until SIGTERM or SIGINT. A bad configuration
 * or an unusable state folder stops it at once with one line on stderr and exit code 1.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0) {
      System.err.println("Error: membersrvc takes no arguments (it reads membersrvc.yaml and MEMBERSRVC_CA_* variables); got "
          + String.join(" ", args));
      System.exit(2);
    }
    MembershipService service;
    try {
      MembersrvcOptions options = MembersrvcOptions.from(MembersrvcConfig.load(ConfigInputs.ofProcess(List.of())));
      service = MembershipService.start(options);
    } catch (ConfigException | IllegalStateException | java.io.UncheckedIOException | IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(1);
      return;
    }
    MembershipService running = service;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      LOG.info("Membership service stopped");
    }, "membersrvc-stop"));
    running.awaitTermination();
  }
}
