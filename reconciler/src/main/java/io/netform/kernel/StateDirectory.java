package io.netform.kernel;

import io.netform.kernel.ffi.EntryStat;
import io.netform.util.AtomicFiles;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * netform's state directory (default /var/lib/netform): the inventory, the host lock, the agent's
 * status, its last good desired state and its Git checkout. netform runs as root and acts on what
 * is kept here, so the directory must be root's alone. It is created 0700, and refused when it, a
 * directory above it or anything in it, at any depth, could be changed by another user: owned by
 * someone else, or writable by group or others (a directory above it may be, with the sticky bit,
 * as /tmp is). See {@link DirectoryTrust}.
 *
 * <p>A symbolic link to the directory is followed once, here: the links and directories on the way
 * and the real directory it leads to are checked, and every file is then reached through that real
 * path. Nothing inside is reached through a link: an entry that is a link is refused, and files
 * are opened with O_NOFOLLOW ({@link #NO_FOLLOW}).
 */
public final class StateDirectory {

  public static final String DEFAULT = "/var/lib/netform";

  /** For opening files inside: a link there fails (ELOOP) instead of leading elsewhere. */
  public static final LinkOption NO_FOLLOW = LinkOption.NOFOLLOW_LINKS;

  public static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  public static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private static final List<String> ENTRIES =
      List.of("lock", "inventory.json", "agent-status.json", "agent-checks.json", "last-good", "last-good.new", "last-good.source", "source", "names",
          "checkpoint.json", "checkpoint-host.json", "rollback.log", "hand-change.json");
  private static final String RUN_AS_ROOT = "the state directory is root's alone: run netform as root (sudo)";

  private final Path dir;
  private final int user;

  private StateDirectory(Path dir, int user) {
    this.dir = dir;
    this.user = user;
  }

  /** The directory, made private if it does not exist yet; refused if another user could change it. */
  public static StateDirectory open(Path given) {
    Path absolute = given.toAbsolutePath();
    if (!Files.exists(absolute, NO_FOLLOW)) {
      create(absolute);
    }
    return checked(absolute);
  }

  /** The directory for reading only ({@code netform status}): empty if it does not exist. */
  public static Optional<StateDirectory> existing(Path given) {
    Path absolute = given.toAbsolutePath();
    return Files.notExists(absolute) ? Optional.empty() : Optional.of(checked(absolute));
  }

  /** Its real path (a link to it resolved once, when it was opened). */
  public Path dir() {
    return dir;
  }

  public Path lock() {
    return dir.resolve("lock");
  }

  public Path inventory() {
    return dir.resolve("inventory.json");
  }

  /** The containers' name records, one file each, which the embedded DNS serves from. */
  public Path nameRecords() {
    return dir.resolve("names");
  }

  public Path agentStatus() {
    return dir.resolve("agent-status.json");
  }

  /** The agent's last check of the connectivity assertions (agent.CheckResults). */
  public Path agentChecks() {
    return dir.resolve("agent-checks.json");
  }

  /** The last change made by a command (apply, destroy, rollback) rather than by the agent: when, and which. */
  public Path handChange() {
    return dir.resolve("hand-change.json");
  }

  /** The agent's copy of the desired state it last enforced. */
  public Path lastGood() {
    return dir.resolve("last-good");
  }

  /** Which source (and path in it) the last good copy came from, as shown (no credentials). */
  public Path lastGoodSource() {
    return dir.resolve("last-good.source");
  }

  /** Where the next copy is made before it replaces {@link #lastGood} in one rename. */
  public Path lastGoodStaging() {
    return dir.resolve("last-good.new");
  }

  /** The agent's Git checkout of its source. */
  public Path checkout() {
    return dir.resolve("source");
  }

  /** An apply waiting to be confirmed: when it was made and until when ({@code apply --confirm-within}). */
  public Path checkpoint() {
    return dir.resolve("checkpoint.json");
  }

  /** What netform owned on the host before that apply, as a snapshot: what a rollback goes back to. */
  public Path checkpointHost() {
    return dir.resolve("checkpoint-host.json");
  }

  /** What the rollback timer says when it wakes. */
  public Path rollbackLog() {
    return dir.resolve("rollback.log");
  }

  /** The content of a file in it, never read through a link; NoSuchFileException if absent. */
  public byte[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, NO_FOLLOW)) {
      return in.readAllBytes();
    }
  }

  /**
   * The content of one of its files, {@code what} it is (for the error); empty when there is none.
   * A file that exists and cannot be read is an error, never taken for an absent one.
   */
  public Optional<byte[]> readIfPresent(Path file, String what) {
    try {
      return Optional.of(read(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("read " + what, file, e);
    }
  }

  /** Writes {@code text} to one of its files atomically, {@code what} it is (for the error). */
  public void write(Path file, String what, String text) {
    try {
      AtomicFiles.write(file, text);
    } catch (IOException e) {
      throw writeFailure(what, file, e);
    }
  }

  /** An I/O failure on {@code file}, one of its files, as one line: what, why and the way out. */
  public StateDirectoryException failure(String doing, Path file, IOException e) {
    return explained("cannot " + doing + " " + file, file, e);
  }

  /** A failed atomic write ({@link io.netform.util.AtomicFiles}): the file kept its old content. */
  public StateDirectoryException writeFailure(String what, Path file, IOException e) {
    return explained("cannot write " + what + " " + file + " (it is left as it was)", file, e);
  }

  private StateDirectoryException explained(String head, Path file, IOException e) {
    if (Files.isSymbolicLink(file)) {
      return linked(file);
    }
    String reason = IoReasons.of(e);
    String fix;
    if (IoReasons.isNoSpace(e)) {
      fix = "free space on the file system of " + dir + " (df " + dir + "), or choose another --state-dir";
    } else if (e instanceof AccessDeniedException) {
      fix = RUN_AS_ROOT;
    } else if (reason.contains("read-only file system")) {
      fix = "remount it read-write, or choose another --state-dir";
    } else {
      fix = "check " + dir + " and its file system";
    }
    return new StateDirectoryException(head + ": " + reason + "; " + fix);
  }

  private StateDirectoryException linked(Path file) {
    return new StateDirectoryException("refusing " + file + ": it is a symbolic link, and netform never follows one in its "
        + "state directory (it could lead to any file). Remove it: rm " + file);
  }

  private static void create(Path absolute) {
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      Files.createDirectory(absolute, PRIVATE_DIRECTORY);
    } catch (FileAlreadyExistsException raced) {
      // made meanwhile: judged as any existing one
    } catch (IOException e) {
      throw new StateDirectoryException("cannot create the state directory " + absolute + ": " + IoReasons.describe(e)
          + "; create it with: install -d -m 700 " + absolute + " (or choose another --state-dir)");
    }
  }

  private static StateDirectory checked(Path absolute) {
    DirectoryTrust trust = new DirectoryTrust("the state directory", absolute, "--state-dir", DirectoryTrust.Privacy.PRIVATE,
        StateDirectoryException::new);
    try {
      Path real = trust.existingDirectory();
      StateDirectory state = new StateDirectory(real, trust.user());
      state.checkEntries(trust);
      return state;
    } catch (AccessDeniedException e) {
      throw new StateDirectoryException("cannot read the state directory " + absolute + " (" + IoReasons.describe(e) + "): "
          + RUN_AS_ROOT);
    } catch (IOException e) {
      throw new StateDirectoryException("cannot use the state directory " + absolute + ": " + IoReasons.describe(e)
          + "; choose another --state-dir");
    }
  }

  /**
   * Everything in it, at every depth (the name records, the last good desired state, the Git
   * checkout…): one entry another user owns or may write, or a directory they may write into, may
   * have been planted or be replaced. A link among netform's own entries is refused; deeper ones
   * (a Git checkout may hold some) are judged by their owner and never followed.
   */
  private void checkEntries(DirectoryTrust trust) throws IOException {
    for (String name : ENTRIES) {
      Path entry = dir.resolve(name);
      if (Files.isSymbolicLink(entry)) {
        throw linked(entry);
      }
    }
    judgeWithin(dir, trust);
  }

  /**
   * Judges each entry of {@code d}, and what is in its directories (never following a link), with
   * one statx(2) per entry: a state directory of a thousand containers holds thousands of name
   * records, and the JDK's attribute views cost every command 25-65 ms for them (now 10-25 ms).
   */
  private static void judgeWithin(Path d, DirectoryTrust trust) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
      for (Path p : entries) {
        Optional<EntryStat> stat = EntryStat.ofEntry(p); // empty: removed meanwhile (a temporary file)
        if (stat.isPresent()) {
          trust.entry(p, stat.get());
          if (stat.get().isDirectory()) {
            judgeWithin(p, trust);
          }
        }
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile (a Git object directory)
    }
  }
}
