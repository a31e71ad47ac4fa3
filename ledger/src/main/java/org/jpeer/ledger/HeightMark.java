package org.jpeer.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The height at the last clean close, in a small file beside RocksDB's own. RocksDB silently treats a
 * MANIFEST cut at a record boundary as complete and then forgets the newest table files, which would
 * make a damaged ledger look like a shorter (or empty) healthy one; this mark turns that into an error.
 */
final class HeightMark {
  static final String FILE = "JPEER-LEDGER-HEIGHT";

  private HeightMark() {}

  /** The recorded height, or -1 when no mark exists (a new ledger, or one last closed by a crash). */
  static long read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return -1;
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new LedgerException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new LedgerException("The ledger in " + dir + " is damaged: " + file + " holds '" + text
          + "' instead of a block height", e);
    }
  }

  static void write(Path dir, long height) {
    Path file = dir.resolve(FILE);
    Path temp = dir.resolve(FILE + ".tmp");
    try {
      Files.writeString(temp, height + "\n", StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Only the damage check weakens; the ledger itself is intact.
      org.slf4j.LoggerFactory.getLogger(HeightMark.class).warn("Cannot write {}: {}", file, e.getMessage());
    }
  }
}
