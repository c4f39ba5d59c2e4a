package io.netform.kernel.ffi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Owner and mode (type bits included) of a path itself, not of where a link leads: what judging who may change it needs. */
public record EntryStat(int uid, int mode) {

  public static EntryStat of(Path p) throws IOException {
    return ofEntry(p).orElseThrow(() -> new NoSuchFileException(p.toString()));
  }

  /** As {@link #of}; empty when nothing is there (any more). */
  public static Optional<EntryStat> ofEntry(Path p) throws IOException {
    try {
      return FileStat.ownerAndModeOfEntry(p.toString()).map(a -> new EntryStat(a[0], a[1]));
    } catch (SyscallException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * The process's effective uid, the owner besides root whose files netform may trust (root in
   * production; the test user in tests). From /proc: Java has no call for it.
   */
  public static int effectiveUser() {
    return EFFECTIVE_USER;
  }

  /** What chown is given to hand a path to {@code user}: root's group with root, the uid alone otherwise. */
  public static String ownerSpec(int user) {
    return user == 0 ? "root:" : Integer.toString(user);
  }

  private static final int EFFECTIVE_USER = readEffectiveUser(); // read once: every directory judgement asks

  private static int readEffectiveUser() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]); // real, effective, saved, fs
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown: only root is trusted
    }
    return 0;
  }

  /**
   * Whether only root or {@code user} could change what is in it: owned by one of them, and
   * writable by neither group nor others.
   */
  public boolean trustedBy(int user) {
    return (uid == 0 || uid == user) && writableBy().isEmpty();
  }

  public boolean isLink() {
    return (mode & 0170000) == 0120000;
  }

  public boolean isRegularFile() {
    return (mode & 0170000) == 0100000;
  }

  public boolean isDirectory() {
    return (mode & 0170000) == 0040000;
  }

  public boolean sticky() {
    return (mode & 01000) != 0;
  }

  /** "group", "others", "group and others" or empty. */
  public String writableBy() {
    boolean group = (mode & 020) != 0;
    boolean others = (mode & 02) != 0;
    return group && others ? "group and others" : group ? "group" : others ? "others" : "";
  }

  public String octal() {
    return String.format("%04o", mode & 07777);
  }
}
