package org.jpeer.chaincode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directory walks in the order of Go's {@code ioutil.ReadDir} and {@code filepath.Walk}. */
final class GoFiles {
  private GoFiles() {}

  /** Go sorts names by their bytes; Java's String order differs beyond the BMP. */
  static final Comparator<Path> BY_NAME_BYTES = (a, b) -> Arrays.compareUnsigned(
      a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
      b.getFileName().toString().getBytes(StandardCharsets.UTF_8));

  /**
   * Every non-directory under {@code dir}, depth first, each level sorted by name, a
   * subdirectory descended into at its sorted position. Symbolic links are not followed (Go
   * lstat's them: a link is listed as a file).
   */
  static List<Path> walk(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    walk(dir, out);
    return out;
  }

  private static void walk(Path dir, List<Path> out) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted(BY_NAME_BYTES).toList();
    }
    for (Path child : children) {
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walk(child, out);
      } else {
        out.add(child);
      }
    }
  }

  /** Deletes a tree, ignoring what cannot be deleted (best effort cleanup). */
  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
