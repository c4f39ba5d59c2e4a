package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's checkout of a local repository, with and without signature checks; no kernel. */
class GitSourceTest {

  @TempDir
  Path dir;
  Git origin;
  Repository repo;
  Path checkout;
  TestSigning.Key key;

  @BeforeEach
  void setUp() throws Exception {
    origin = Git.init().setInitialBranch("main").setDirectory(dir.resolve("origin").toFile()).call();
    repo = origin.getRepository();
    checkout = dir.resolve("state/source");
    key = TestSigning.ed25519();
  }

  @AfterEach
  void tearDown() {
    origin.close();
  }

  GitSource verifying() throws Exception {
    CommitSignatures allowed = CommitSignatures.load(key.writeTo(dir.resolve("allowed.asc")));
    return new GitSource(dir.resolve("origin").toString(), "main", checkout, Optional.of(allowed));
  }

  ObjectId commit(String content, boolean signed) throws Exception {
    return TestSigning.commit(repo, "main", Map.of("net.yaml", content), content + "\n", signed ? key.signer() : null);
  }

  String checkedOut() throws Exception {
    return Files.readString(checkout.resolve("net.yaml"));
  }

  String head() throws Exception {
    try (Git git = Git.open(checkout.toFile())) {
      ObjectId id = git.getRepository().resolve("HEAD");
      return id == null ? null : id.name();
    }
  }

  @Test
  void withoutVerificationFollowsTheBranchSignedOrNot() throws Exception {
    GitSource source = new GitSource(dir.resolve("origin").toString(), "main", checkout);
    ObjectId first = commit("one", false);
    assertEquals(first.name(), source.sync());
    assertEquals("one", checkedOut());
    ObjectId second = commit("two", true);
    assertEquals(second.name(), source.sync());
    assertEquals("two", checkedOut());
  }

  @Test
  void anUnverifiedTipLeavesTheCheckoutAtThePreviousCommit() throws Exception {
    GitSource source = verifying();
    ObjectId good = commit("good", true);
    assertEquals(good.name(), source.sync());
    assertEquals("good", checkedOut());

    ObjectId unsigned = commit("unsigned", false);
    GitSource.UnverifiedCommitException e = assertThrows(GitSource.UnverifiedCommitException.class, source::sync);
    assertEquals(unsigned.name(), e.commit());
    assertEquals(CommitSignatures.Reason.NOT_SIGNED, e.verdict().reason());
    assertEquals("commit " + unsigned.name() + " is not applied: not signed", e.getMessage());
    assertEquals(good.name(), head(), "HEAD not moved");
    assertEquals("good", checkedOut(), "working tree not moved");

    ObjectId fixed = commit("signed again", true);
    assertEquals(fixed.name(), source.sync());
    assertEquals("signed again", checkedOut());
  }

  @Test
  void aTipSignedByAnotherKeyIsNotCheckedOut() throws Exception {
    GitSource source = verifying();
    ObjectId good = commit("good", true);
    source.sync();
    ObjectId foreign = TestSigning.commit(repo, "main", Map.of("net.yaml", "foreign"), "foreign\n",
        TestSigning.ed25519().signer());
    GitSource.UnverifiedCommitException e = assertThrows(GitSource.UnverifiedCommitException.class, source::sync);
    assertEquals(foreign.name(), e.commit());
    assertEquals(CommitSignatures.Reason.KEY_NOT_ALLOWED, e.verdict().reason());
    assertEquals(good.name(), head());
    assertEquals("good", checkedOut());
  }

  @Test
  void anUnverifiedFirstCommitChecksOutNothing() throws Exception {
    GitSource source = verifying();
    commit("unsigned", false);
    assertThrows(GitSource.UnverifiedCommitException.class, source::sync);
    assertNull(head(), "no commit checked out");
    try (Stream<Path> files = Files.list(checkout)) {
      assertEquals(java.util.List.of(checkout.resolve(".git")), files.toList(), "only the repository, no file of the commit");
    }
    ObjectId signed = commit("signed", true);
    assertEquals(signed.name(), source.sync(), "the next signed commit is taken");
    assertEquals("signed", checkedOut());
  }

  @Test
  void onlyTheTipIsChecked() throws Exception {
    GitSource source = verifying();
    commit("unsigned in the middle", false);
    ObjectId tip = commit("signed tip", true);
    assertEquals(tip.name(), source.sync(), "a signed tip vouches for its tree, as with Flux");
  }

  @Test
  void unreachableSourceAndMissingBranchAreReportedAsSuch() throws Exception {
    GitSource gone = new GitSource(dir.resolve("nowhere").toString(), "main", checkout);
    assertThrows(GitSource.SourceUnreachableException.class, gone::sync);
    commit("one", true);
    GitSource otherBranch = new GitSource(dir.resolve("origin").toString(), "prod", dir.resolve("other"));
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class, otherBranch::sync);
    assertTrue(e.getMessage().contains("no branch prod"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("other/net.yaml")));
  }

  @Test
  void aCheckoutMadeBeforeIsFollowed() throws Exception {
    ObjectId first = commit("one", true);
    // as the agent's clone of earlier versions left it
    Git.cloneRepository().setURI(dir.resolve("origin").toString()).setBranch("main").setDirectory(checkout.toFile())
        .call().close();
    assertEquals(first.name(), head());
    ObjectId second = commit("two", true);
    assertEquals(second.name(), verifying().sync());
    assertEquals("two", checkedOut());
  }
}
