package org.jpeer.examples;

import java.nio.file.Path;

/** The example jars the shade plugin made in the package phase (failsafe runs after it). */
final class ExampleJars {
  private ExampleJars() {}

  static Path jar(String name) {
    return Path.of(System.getProperty("examples.dir", "target")).resolve(name + ".jar").toAbsolutePath();
  }
}
