package io.netform.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The Git repository holding the desired state, kept as a checkout in the agent's state
 * directory: cloned once, then fetched and hard-reset to the remote branch at every poll. Local
 * paths and file:// URLs work; https and ssh use JGit's usual credential handling.
 */
public final class GitSource {

  private final String uri;
  private final String branch;
  private final Path checkout;

  public GitSource(String uri, String branch, Path checkout) {
    this.uri = uri;
    this.branch = branch;
    this.checkout = checkout;
  }

  public Path checkout() {
    return checkout;
  }

  /** Brings the checkout to the branch's newest commit and returns its id. */
  public String sync() {
    try {
      if (!Files.isDirectory(checkout.resolve(".git"))) {
        Files.createDirectories(checkout.getParent());
        try (Git git = Git.cloneRepository().setURI(uri).setBranch(branch).setDirectory(checkout.toFile()).call()) {
          return head(git);
        }
      }
      try (Git git = Git.open(checkout.toFile())) {
        git.fetch().setRemote("origin").call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef("origin/" + branch).call();
        return head(git);
      }
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw new SourceUnreachableException("cannot read " + uri + " (branch " + branch + "): " + e.getMessage(), e);
    }
  }

  private String head(Git git) throws IOException {
    ObjectId id = git.getRepository().resolve("HEAD");
    if (id == null) {
      throw new IOException("branch " + branch + " has no commits");
    }
    return id.name();
  }

  /** The source could not be read; nothing on the host is touched because of it. */
  public static final class SourceUnreachableException extends RuntimeException {
    SourceUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
