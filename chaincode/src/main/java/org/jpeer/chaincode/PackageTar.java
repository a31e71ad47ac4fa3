package org.jpeer.chaincode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A gzip-compressed tar written entry by entry in the caller's order, the way the original's
 * platform code writes a package (chaincode.md §3): a file entry copies mode, uid/gid, user and
 * group names and size from the local file, with all times zero; a generated entry (the
 * Dockerfile) has only a name and a size. Not thread-safe; {@link #finish()} once.
 */
final class PackageTar {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  PackageTar() throws IOException {
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(255);
    gzip.setCompressionLevel(6);
    tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes, gzip));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Adds {@code content} (already read from {@code local}) under {@code name}, with its stat. */
  void addFile(Path local, String name, byte[] content) throws IOException {
    // follows symbolic links, as Go's os.Stat does in WriteStreamToPackage
    PosixFileAttributes attrs = Files.readAttributes(local, PosixFileAttributes.class);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    // st_mode: the permission bits with the regular-file type bits, as Go's tar.FileInfoHeader
    // of the original's Go release wrote them (0100644 for a plain file)
    entry.setMode(((Number) Files.getAttribute(local, "unix:mode")).intValue());
    long uid = ((Number) Files.getAttribute(local, "unix:uid")).longValue();
    long gid = ((Number) Files.getAttribute(local, "unix:gid")).longValue();
    entry.setUserId(uid);
    entry.setGroupId(gid);
    // Go leaves a name empty when the id has no entry; Java then answers the number itself
    String user = attrs.owner().getName();
    String group = attrs.group().getName();
    entry.setUserName(user.equals(Long.toString(uid)) ? "" : user);
    entry.setGroupName(group.equals(Long.toString(gid)) ? "" : group);
    entry.setModTime(0);
    write(entry, content);
  }

  /** Adds a generated entry: a name and a size, everything else zero. */
  void addGenerated(String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(0);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(0);
    write(entry, content);
  }

  private void write(TarArchiveEntry entry, byte[] content) throws IOException {
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  byte[] finish() throws IOException {
    tar.close();
    return bytes.toByteArray();
  }
}
