package io.netform.desired.load;

import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a path is, in words for a message: a FIFO given as a file is "a FIFO", not "no such file";
 * a link that leads nowhere says where it leads.
 */
record FileKind(FileKind.Kind kind, String link, String reason) {

  enum Kind {
    FILE("not-a-file"), DIRECTORY("not-a-file"), LINK("not-a-file"), MISSING("dangling-link"), LOOP("link-loop"),
    FIFO("not-a-file"), CHARACTER_DEVICE("not-a-file"), BLOCK_DEVICE("not-a-file"), SOCKET("not-a-file"),
    UNREADABLE("unreadable-file");

    /** The diagnostic code of a path of this kind where a file was expected. */
    final String code;

    Kind(String code) {
      this.code = code;
    }
  }

  /** The path itself: a link is {@link Kind#LINK}, not what it leads to. */
  static FileKind of(Path path) {
    return stat(path, LinkOption.NOFOLLOW_LINKS);
  }

  /** What the path leads to, links followed. */
  static FileKind follow(Path path) {
    return stat(path);
  }

  /** A link that leads to nothing, or round in a loop of links. */
  boolean brokenLink() {
    return kind == Kind.MISSING || kind == Kind.LOOP;
  }

  /** Something that is there, but is not what its kind of path holds (a FIFO where a file belongs). */
  boolean wrongType() {
    return kind.code.equals("not-a-file");
  }

  /** "SUBJECT is a FIFO (named pipe)", "SUBJECT is a link to X, which does not exist", and so on. */
  String describe(String subject) {
    return subject + switch (kind) {
      case FILE -> " is a file";
      case DIRECTORY -> " is a directory";
      case LINK -> " is a link to " + link;
      case MISSING -> link.isEmpty() ? " does not exist" : " is a link to " + link + ", which does not exist";
      case LOOP -> " is a link that leads round in a loop of links (to " + link + ")";
      case FIFO -> " is a FIFO (named pipe)";
      case CHARACTER_DEVICE -> " is a character device";
      case BLOCK_DEVICE -> " is a block device";
      case SOCKET -> " is a socket";
      case UNREADABLE -> " cannot be read: " + reason;
    };
  }

  private static FileKind stat(Path path, LinkOption... options) {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", options);
      return new FileKind(byMode(mode), linkOf(path), "");
    } catch (NoSuchFileException e) {
      return new FileKind(Kind.MISSING, linkOf(path), "");
    } catch (FileSystemException e) {
      // ELOOP: Java says "Too many levels of symbolic links or unable to access attributes of symbolic link"
      boolean loop = e.getReason() != null && e.getReason().contains("symbolic link");
      return new FileKind(loop ? Kind.LOOP : Kind.UNREADABLE, linkOf(path), IoReasons.of(e));
    } catch (IOException | UnsupportedOperationException e) {
      return new FileKind(Kind.UNREADABLE, "", String.valueOf(e.getMessage()));
    }
  }

  private static Kind byMode(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> Kind.DIRECTORY;
      case 0100000 -> Kind.FILE;
      case 0120000 -> Kind.LINK;
      case 0010000 -> Kind.FIFO;
      case 0020000 -> Kind.CHARACTER_DEVICE;
      case 0060000 -> Kind.BLOCK_DEVICE;
      default -> Kind.SOCKET;
    };
  }

  /** Where a link leads, as written in it; empty for anything else. */
  private static String linkOf(Path path) {
    try {
      return Files.isSymbolicLink(path) ? Files.readSymbolicLink(path).toString() : "";
    } catch (IOException e) {
      return "";
    }
  }
}
