package io.netform.kernel;

import io.netform.kernel.ffi.EntryStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Whether a directory netform acts on as root (its state directory, the namespace directories),
 * what is on the way to it and what is in it could be changed by another user: owned by someone
 * else, or writable by group or others (a directory above it may be, with the sticky bit, as /tmp
 * is). Every refusal is one line: the place, what is wrong and the fix.
 */
public final class DirectoryTrust {

  /** How a directory may be opened to others: only to read ({@code 755}), or not at all ({@code 700}). */
  public enum Privacy { READABLE, PRIVATE }

  private final String label;
  private final Path dir;
  private final String option;
  private final Privacy privacy;
  private final int user;
  private final Function<String, ? extends RuntimeException> refusal;

  /**
   * Judges {@code dir} (absolute, as given), called {@code label} in messages ("the state
   * directory"); {@code option} is the command-line option that chooses another; a refusal is thrown as
   * {@code refusal} makes it.
   */
  public DirectoryTrust(String label, Path dir, String option, Privacy privacy,
      Function<String, ? extends RuntimeException> refusal) {
    this.label = label;
    this.dir = dir;
    this.option = option;
    this.privacy = privacy;
    this.user = EntryStat.effectiveUser();
    this.refusal = refusal;
  }

  /** The owner besides root that may own what is judged: this process's effective uid. */
  public int user() {
    return user;
  }

  /**
   * The directory, or where it would be made: every directory above it that exists, links on the
   * way, the link it is (if it is one), and the directory it leads to.
   */
  public void check() throws IOException {
    Path existing = dir;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (existing.equals(dir)) {
      existingDirectory();
    } else {
      Path real = wayTo(existing);
      ancestor(real, EntryStat.of(real)); // where netform will make it
    }
  }

  /**
   * The directory, which exists: every directory above it, links on the way, the link it is (if
   * it is one) and the directory it leads to. Returns that directory's real path.
   */
  public Path existingDirectory() throws IOException {
    Path real = wayTo(dir);
    EntryStat it = EntryStat.of(real);
    if (!it.isDirectory()) {
      throw refusal.apply(label + " " + dir + " is not a directory; choose another " + option);
    }
    directory(real, it);
    return real;
  }

  /** The way to {@code path} and, when a link leads elsewhere, the way to where it leads (directories above both judged twice). */
  private Path wayTo(Path path) throws IOException {
    way(path);
    Path real = path.toRealPath();
    if (!real.equals(path)) {
      way(real);
    }
    return real;
  }

  /** Every directory above {@code path}, and {@code path} itself if it is a link. */
  private void way(Path path) throws IOException {
    Path at = path.getRoot();
    for (int i = 0; i < path.getNameCount(); i++) {
      ancestor(at, EntryStat.of(at));
      at = at.resolve(path.getName(i));
    }
    EntryStat last = EntryStat.of(at);
    if (last.isLink()) {
      owner(at, last, "replace the link by one of root's, or choose another " + option);
    }
  }

  private void ancestor(Path p, EntryStat s) {
    if (s.isLink()) {
      owner(p, s, "replace the link by one of root's, or choose another " + option);
      return;
    }
    String fix = "make it writable by root only (chown root: " + p + " && chmod go-w " + p + "), or choose another " + option;
    owner(p, s, fix);
    if (!s.writableBy().isEmpty() && !s.sticky()) {
      refuse(p, "is writable by " + s.writableBy() + " (mode " + s.octal() + ", no sticky bit)", fix);
    }
  }

  /** The directory itself (its real path). */
  private void directory(Path p, EntryStat s) {
    String fix = privacy == Privacy.PRIVATE ? "make it root's alone: chown " + ownerSpec() + " " + p + " && chmod 700 " + p
        : "make it writable by root only: chown " + ownerSpec() + " " + p + " && chmod go-w " + p;
    owner(p, s, fix);
    if (!s.writableBy().isEmpty()) {
      refuse(p, "is writable by " + s.writableBy() + " (mode " + s.octal() + ")", fix);
    }
  }

  /**
   * Something in the directory, at any depth: its owner must be root or this process, and a file
   * or directory must not be writable by others (a link's own mode means nothing; it is never followed).
   */
  public void entry(Path p, EntryStat s) {
    owner(p, s, "it may have been planted: check it, then remove it or chown " + ownerSpec() + " " + p);
    if (!s.isLink() && !s.writableBy().isEmpty()) {
      refuse(p, "is writable by " + s.writableBy() + " (mode " + s.octal() + ")", "chmod go-w " + p);
    }
  }

  private void owner(Path p, EntryStat s, String fix) {
    if (s.uid() != 0 && s.uid() != user) {
      refuse(p, "is owned by uid " + s.uid() + ", not by " + (user == 0 ? "root" : "root or uid " + user + " (this process)"),
          fix);
    }
  }

  private String ownerSpec() {
    return EntryStat.ownerSpec(user);
  }

  private void refuse(Path p, String problem, String fix) {
    String what = p.equals(dir) ? "it" : p.toString();
    throw refusal.apply("refusing " + label + " " + dir + ": " + what + " " + problem
        + ", so another user could change what netform trusts as root; " + fix);
  }
}
