package io.netform.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from the module directory Maven runs tests in. */
public final class RepoFiles {

  private RepoFiles() {}

  public static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root (with examples/) not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  public static Path examples() {
    return root().resolve("examples");
  }
}
