package io.netform.desired.load;

import io.netform.diagnostics.Diagnostic;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code .netformignore} at the root of a directory given to netform: one glob per line (blank
 * lines and {@code #} comments skipped), matched against paths relative to that directory; a
 * pattern naming a directory ({@code invalid/}) skips everything below it, and one matching a
 * directory or link itself ({@code invalid}) skips it whole. Lets a repository keep
 * test fixtures or drafts beside the desired state, as {@code .dockerignore} does.
 */
final class IgnoreFile {

  static final String NAME = ".netformignore";

  private final List<PathMatcher> matchers;

  private IgnoreFile(List<PathMatcher> matchers) {
    this.matchers = matchers;
  }

  /**
   * The ignore file of {@code directory} (real path {@code root}), if it has one. Read only if it
   * is a regular file inside the directory: a link to a file elsewhere is reported, never read.
   */
  static IgnoreFile in(Path directory, Path root, List<Diagnostic> problems) throws IOException {
    List<PathMatcher> matchers = new ArrayList<>();
    Optional<Path> file = DesiredStateFiles.fileInside(directory.resolve(NAME), root, problems);
    if (file.isPresent()) {
      for (String line : Files.readAllLines(file.get())) {
        String pattern = line.strip();
        if (pattern.isEmpty() || pattern.startsWith("#")) {
          continue;
        }
        if (pattern.endsWith("/")) {
          pattern = pattern + "**";
        }
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
      }
    }
    return new IgnoreFile(matchers);
  }

  boolean ignores(Path relative) {
    return matchers.stream().anyMatch(m -> m.matches(relative));
  }
}
