package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the files a desired state is read from. A path given on the command line is followed
 * wherever it leads, as any tool follows the paths it is given. Inside a directory, a link is
 * followed only while it stays inside: a committed link could otherwise have the agent, as root,
 * read any file of the host. Nothing is skipped without a word: a link out of the directory, one
 * that leads nowhere or round in a loop, a FIFO or device named *.yaml, each is a located error.
 */
final class DesiredStateFiles {

  /** A file to read: {@code name}, as diagnostics call it; {@code real}, where it is, links resolved. */
  record Found(String name, Path real) {}

  /** The files found, and the directories given that hold none. */
  record Result(List<Found> files, List<Path> emptyDirectories) {}

  private final List<Found> files = new ArrayList<>();
  private final List<Path> emptyDirectories = new ArrayList<>();
  private final List<Diagnostic> problems;

  private DesiredStateFiles(List<Diagnostic> problems) {
    this.problems = problems;
  }

  /** The files of {@code inputs}, in name order within each directory; what is not read goes to {@code problems}. */
  static Result find(List<Path> inputs, List<Diagnostic> problems) {
    DesiredStateFiles found = new DesiredStateFiles(problems);
    for (Path input : inputs) {
      found.input(input);
    }
    return new Result(List.copyOf(found.files), List.copyOf(found.emptyDirectories));
  }

  private void input(Path input) {
    FileKind target = FileKind.follow(input);
    Location at = Location.ofFile(input.toString());
    try {
      if (target.kind() == FileKind.Kind.DIRECTORY) {
        directory(input);
      } else if (target.kind() == FileKind.Kind.FILE) {
        files.add(new Found(input.toString(), input.toRealPath()));
      } else if (target.kind() == FileKind.Kind.MISSING && target.link().isEmpty()) {
        problems.add(Diagnostic.error("missing-file", at, "no such file or directory", "check the path"));
      } else if (target.wrongType()) {
        problems.add(Diagnostic.error(target.kind().code, at, target.describe("this path") + ", not a file or directory",
            "give netform the .yaml/.yml files of the desired state, or the directory that holds them"));
      } else {
        problems.add(Diagnostic.error(target.kind().code, at, target.describe("this path"), "check the path"));
      }
    } catch (IOException e) {
      unreadable(input, e);
    }
  }

  private void directory(Path top) throws IOException {
    Path root = top.toRealPath();
    int before = files.size();
    new Walk(top, root, IgnoreFile.in(top, root, problems)).run();
    files.subList(before, files.size()).sort((a, b) -> Path.of(a.name()).compareTo(Path.of(b.name())));
    if (files.size() == before) {
      emptyDirectories.add(top);
    }
  }

  /**
   * One directory given, walked with its links followed only inside it. The files and directories
   * themselves are walked first, then the links: a link to a file or directory read already adds
   * nothing (read twice, a file would define its names twice), and no link can lead round for ever.
   * A link matters when it leads to what is not read by its own name: an ignored directory, a
   * file not named *.yaml.
   */
  private final class Walk {
    private final Path top;
    private final Path root;
    private final IgnoreFile ignore;
    private final Set<Path> read = new HashSet<>(); // real paths of the files and directories read
    private final Deque<Path> links = new ArrayDeque<>();

    Walk(Path top, Path root, IgnoreFile ignore) {
      this.top = top;
      this.root = root;
      this.ignore = ignore;
    }

    void run() {
      into(top, root);
      while (!links.isEmpty()) {
        link(links.poll());
      }
    }

    /** Walks {@code dir} (by the name shown), whose real path is {@code real}, once. */
    private void into(Path dir, Path real) {
      if (!read.add(real)) {
        return;
      }
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
        listing.forEach(children::add);
      } catch (IOException e) {
        unreadable(dir, e);
      }
      children.sort(null);
      for (Path child : children) {
        if (!ignore.ignores(top.relativize(child))) {
          entry(child, real.resolve(child.getFileName()));
        }
      }
    }

    private void entry(Path entry, Path real) {
      FileKind here = FileKind.of(entry);
      if (here.kind() == FileKind.Kind.LINK) {
        links.add(entry);
      } else if (here.kind() == FileKind.Kind.DIRECTORY) {
        into(entry, real);
      } else if (isYaml(entry)) {
        file(entry, real, here);
      }
    }

    private void file(Path entry, Path real, FileKind kind) {
      if (kind.kind() != FileKind.Kind.FILE) {
        notAFile(entry, kind);
      } else if (read.add(real)) {
        files.add(new Found(entry.toString(), real));
      }
    }

    private void link(Path entry) {
      boolean yaml = isYaml(entry);
      FileKind target = FileKind.follow(entry);
      if (target.brokenLink()) {
        if (yaml) {
          notAFile(entry, target);
        }
        return;
      }
      Path real;
      try {
        real = entry.toRealPath();
      } catch (IOException e) {
        unreadable(entry, e);
        return;
      }
      boolean directory = target.kind() == FileKind.Kind.DIRECTORY;
      if (!real.startsWith(root)) {
        if (yaml || directory) {
          problems.add(linkOutside(entry, target, root, true));
        }
      } else if (directory) {
        into(entry, real);
      } else if (yaml) {
        file(entry, real, target);
      }
    }
  }

  private void notAFile(Path entry, FileKind what) {
    problems.add(notAFile(entry.toString(), what));
  }

  /**
   * The real path of the regular file {@code entry} of the directory whose real path is {@code root},
   * when it is one and a link in its place leads inside; empty when there is nothing there, and when
   * there is something else, which is reported (a link out, a FIFO: never read).
   */
  static Optional<Path> fileInside(Path entry, Path root, List<Diagnostic> problems) {
    FileKind here = FileKind.of(entry);
    if (here.kind() == FileKind.Kind.MISSING) {
      return Optional.empty();
    }
    FileKind target = FileKind.follow(entry);
    try {
      if (target.kind() == FileKind.Kind.FILE) {
        Path real = entry.toRealPath();
        if (real.startsWith(root)) {
          return Optional.of(real);
        }
        problems.add(linkOutside(entry, target, root, false)); // netform.lock or .netformignore: never ignored
        return Optional.empty();
      }
    } catch (IOException e) {
      target = new FileKind(FileKind.Kind.UNREADABLE, "", IoReasons.of(e));
    }
    problems.add(notAFile(entry.toString(), target));
    return Optional.empty();
  }

  /** {@code ignorable}: whether listing the entry in .netformignore would leave it out (not for the lock and the ignore file). */
  private static Diagnostic linkOutside(Path entry, FileKind target, Path root, boolean ignorable) {
    String what = target.kind() == FileKind.Kind.DIRECTORY ? "directory" : "file";
    return Diagnostic.error("link-outside", Location.ofFile(entry.toString()),
        "this is a link to a " + what + " outside " + root + " (" + target.link()
            + "); netform reads only what is inside the desired-state directory",
        "replace the link with the " + what + " itself" + (ignorable ? ", point it inside the directory, or list it in "
            + IgnoreFile.NAME : " or point it inside the directory"));
  }

  private static Diagnostic notAFile(String entry, FileKind what) {
    String message = what.describe("this") + (what.wrongType() ? ", not a regular file: netform reads only regular files" : "");
    return Diagnostic.error(what.kind().code, Location.ofFile(entry), message,
        what.brokenLink() ? "point the link at a file inside the directory, delete it, or list it in " + IgnoreFile.NAME
            : "replace it with a regular file, or move it out of the directory");
  }

  private void unreadable(Path path, IOException e) {
    problems.add(Diagnostic.error("unreadable-file", Location.ofFile(path.toString()),
        "cannot read it: " + IoReasons.of(e), "check that it exists and that netform may read it"));
  }

  static boolean isYaml(Path p) {
    Path name = p.getFileName();
    String n = name == null ? "" : name.toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
