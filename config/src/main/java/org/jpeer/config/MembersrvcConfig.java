package org.jpeer.config;

import java.nio.file.Path;

/**
 * The membership service's one configuration tree: the bundled {@code membersrvc.yaml}, a user's
 * {@code membersrvc.yaml} in {@code MEMBERSRVC_CFG_PATH} or else the working directory, then
 * {@code MEMBERSRVC_CA_*} environment variables, as the original's viper set-up reads them.
 */
public final class MembersrvcConfig {
  public static final String CFG_PATH_ENV = "MEMBERSRVC_CFG_PATH";
  public static final String ENV_PREFIX = "MEMBERSRVC_CA_";

  private MembersrvcConfig() {}

  public static Settings load(ConfigInputs in) {
    String dirText = in.env().get(CFG_PATH_ENV);
    Path dir = dirText == null || dirText.isBlank() ? in.workingDir() : in.workingDir().resolve(dirText);
    String home = in.env().getOrDefault("HOME", System.getProperty("user.home"));
    return new SettingsLoader("membersrvc", ENV_PREFIX)
        .bundled("membersrvc.yaml")
        .userFile(dir.resolve("membersrvc.yaml"))
        .environment(in.env())
        .flags(in.flags())
        .build(Path.of(home));
  }
}
