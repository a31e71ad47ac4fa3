package org.jpeer.chaincode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The chaincode code package: a gzip-compressed tar that is also a Docker build context. Written
 * deterministically so the same files give the same bytes on every peer: entries sorted by name,
 * mtime 0, uid/gid 0 with no user or group names, mode 0644, and a gzip header with mtime 0 and
 * "unknown" OS.
 */
final class CodePackage {
  static final String JAR_ENTRY = "chaincode.jar";
  static final String DOCKERFILE_ENTRY = "Dockerfile";
  /** Refuse to unpack more than this: a package travels inside a transaction. */
  private static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;

  private CodePackage() {}

  static byte[] write(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(255);
    gzip.setCompressionLevel(6);
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes, gzip))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0100644);
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The content of the regular file {@code name} in the package, if present. */
  static Optional<byte[]> read(byte[] pkg, String name) throws IOException {
    try (InputStream in = new TarArchiveInputStream(
        new GzipCompressorInputStream(new ByteArrayInputStream(pkg)))) {
      TarArchiveInputStream tar = (TarArchiveInputStream) in;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile() && e.getName().equals(name)) {
          if (e.getSize() > MAX_ENTRY_BYTES) {
            throw new IOException(name + " in the code package is too large (" + e.getSize()
                + " bytes)");
          }
          return Optional.of(tar.readAllBytes());
        }
      }
    }
    return Optional.empty();
  }

  /** The Dockerfile of a Java chaincode image, generated like Fabric v0.6's on our base image. */
  static byte[] javaDockerfile(String baseImage) {
    String text = "FROM " + baseImage + "\n"
        + "COPY " + JAR_ENTRY + " /root/chaincode.jar\n"
        + "WORKDIR /root\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
