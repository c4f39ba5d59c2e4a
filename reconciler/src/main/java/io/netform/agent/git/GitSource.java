package io.netform.agent.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The Git repository holding the desired state, kept as a checkout in the agent's state
 * directory: fetched and hard-reset to the remote branch at every poll. Local paths, file://,
 * ssh (keys and known_hosts from {@link GitAccess}'s ssh directory) and https (credentials in the
 * URL, the environment or ~/.netrc) work. Credentials in the URL never appear in a message.
 *
 * <p>With a {@link CommitSignatures} the branch's newest commit is verified after the fetch and
 * before the reset, so the working tree never holds the files of a commit that failed the check.
 */
public final class GitSource {

  private static final RefSpec TRACKING = new RefSpec("+refs/heads/*:refs/remotes/origin/*");

  private final String uri;
  private final String shown;
  private final String branch;
  private final Path checkout;
  private final Optional<CommitSignatures> signatures;
  private final GitAccess access;
  private final List<String> secrets;

  public GitSource(String uri, String branch, Path checkout) {
    this(uri, branch, checkout, Optional.empty());
  }

  public GitSource(String uri, String branch, Path checkout, Optional<CommitSignatures> signatures) {
    this(uri, branch, checkout, signatures, GitAccess.defaults(uri));
  }

  public GitSource(String uri, String branch, Path checkout, Optional<CommitSignatures> signatures, GitAccess access) {
    this.uri = uri;
    this.shown = Redact.source(uri);
    this.branch = branch;
    this.checkout = checkout;
    this.signatures = signatures;
    this.access = access;
    List<String> hidden = new ArrayList<>(Redact.secretsOf(uri));
    hidden.addAll(access.secrets());
    this.secrets = List.copyOf(hidden);
  }

  /** The source as it may be shown: without credentials. */
  public String shown() {
    return shown;
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
    access.clearHostKeyRefusal();
    try (Git git = open()) {
      // from the URL itself rather than the remote's: its credentials stay out of .git/config
      access.configure(git.fetch()).setRemote(uri).setRefSpecs(TRACKING).call();
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
      String why = access.hostKeyRefusal().orElseGet(() -> Redact.text(reasons(e), secrets));
      // JGit starts with the URL, already in the message
      why = why.startsWith(shown + ": ") ? why.substring(shown.length() + 2) : why;
      throw new SourceUnreachableException(Redact.text("cannot read " + shown + " (branch " + branch + "): " + why, secrets));
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
      // only for people looking into the checkout (fetches name the source themselves); also
      // replaces a URL with credentials written by earlier versions
      StoredConfig config = git.getRepository().getConfig();
      if (!shown.equals(config.getString("remote", "origin", "url"))) {
        config.setString("remote", "origin", "url", shown);
        config.setString("remote", "origin", "fetch", TRACKING.toString());
        config.save();
      }
      return git;
    } catch (IOException | RuntimeException e) {
      git.close();
      throw e;
    }
  }

  /**
   * The messages of {@code e} and its causes, each once: JGit's own message often says only
   * "transport error" while the cause says why.
   */
  private static String reasons(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      // one line, for the log line and the status (JGit lists its ssh login attempts line by line)
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
      if (!text.toString().contains(message)) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }

  private String head(Git git) throws IOException {
    ObjectId id = git.getRepository().resolve("HEAD");
    if (id == null) {
      throw new IOException("branch " + branch + " has no commits");
    }
    return id.name();
  }

  /**
   * The source could not be read; nothing on the host is touched because of it. The message says
   * why; the cause is not kept, because JGit's exceptions repeat the URL with its credentials.
   */
  public static final class SourceUnreachableException extends RuntimeException {
    SourceUnreachableException(String message) {
      super(message);
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
