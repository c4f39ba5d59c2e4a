package io.netform.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The Git repository holding the desired state, kept as a checkout in the agent's state
 * directory: fetched and hard-reset to the remote branch at every poll. Local paths and file://
 * URLs work; https and ssh use JGit's usual credential handling.
 *
 * <p>With a {@link CommitSignatures} the branch's newest commit is verified after the fetch and
 * before the reset, so the working tree never holds the files of a commit that failed the check.
 */
public final class GitSource {

  private final String uri;
  private final String branch;
  private final Path checkout;
  private final Optional<CommitSignatures> signatures;

  public GitSource(String uri, String branch, Path checkout) {
    this(uri, branch, checkout, Optional.empty());
  }

  public GitSource(String uri, String branch, Path checkout, Optional<CommitSignatures> signatures) {
    this.uri = uri;
    this.branch = branch;
    this.checkout = checkout;
    this.signatures = signatures;
  }

  public Path checkout() {
    return checkout;
  }

  /**
   * Brings the checkout to the branch's newest commit and returns its id.
   *
   * @throws UnverifiedCommitException the newest commit failed the signature check; the checkout
   *     stays where it was
   * @throws SourceUnreachableException the repository or the branch could not be read
   */
  public String sync() {
    ObjectId tip;
    CommitSignatures.Verdict verdict = null;
    try (Git git = open()) {
      git.fetch().setRemote("origin").call();
      tip = git.getRepository().resolve("refs/remotes/origin/" + branch);
      if (tip == null) {
        throw new IOException("no branch " + branch + " there");
      }
      if (signatures.isPresent()) {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
          RevCommit commit = walk.parseCommit(tip);
          verdict = signatures.get().verify(commit);
        }
      }
      if (verdict == null || verdict.verified()) {
        // the verified id, not the ref: the ref may have moved since
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(tip.name()).call();
        return head(git);
      }
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw new SourceUnreachableException("cannot read " + uri + " (branch " + branch + "): " + e.getMessage(), e);
    }
    throw new UnverifiedCommitException(tip.name(), verdict);
  }

  /**
   * The checkout's repository, made on first use as init + remote + fetch (what a clone does) so
   * that nothing is checked out before the first verification.
   */
  private Git open() throws GitAPIException, IOException {
    Git git;
    if (Files.isDirectory(checkout.resolve(".git"))) {
      git = Git.open(checkout.toFile());
    } else {
      Files.createDirectories(checkout.getParent());
      git = Git.init().setInitialBranch(branch).setDirectory(checkout.toFile()).call();
    }
    try {
      // also repairs a checkout left without its remote by a stop right after the init
      StoredConfig config = git.getRepository().getConfig();
      if (config.getString("remote", "origin", "url") == null) {
        config.setString("remote", "origin", "url", uri);
        config.setString("remote", "origin", "fetch", "+refs/heads/*:refs/remotes/origin/*");
        config.save();
      }
      return git;
    } catch (IOException | RuntimeException e) {
      git.close();
      throw e;
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

  /** The branch's newest commit failed the signature check and was not checked out. */
  public static final class UnverifiedCommitException extends RuntimeException {
    private final String commit;
    private final CommitSignatures.Verdict verdict;

    UnverifiedCommitException(String commit, CommitSignatures.Verdict verdict) {
      super("commit " + commit + " is not applied: " + verdict.detail());
      this.commit = commit;
      this.verdict = verdict;
    }

    public String commit() {
      return commit;
    }

    public CommitSignatures.Verdict verdict() {
      return verdict;
    }
  }
}
