package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.agent.git.CommitSignatures.Reason;
import io.netform.agent.git.CommitSignatures.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier's verdict on commits written into a local repository; no kernel, no gpg. */
class CommitSignaturesTest {

  @TempDir
  Path dir;
  Git git;
  Repository repo;
  ObjectId tree;

  @BeforeEach
  void setUp() throws Exception {
    git = Git.init().setInitialBranch("main").setDirectory(dir.resolve("repo").toFile()).call();
    repo = git.getRepository();
    tree = TestSigning.tree(repo, Map.of("net.yaml", "networks: {}\n"));
  }

  @AfterEach
  void tearDown() {
    git.close();
  }

  CommitSignatures allowing(TestSigning.Key... keys) throws Exception {
    StringBuilder file = new StringBuilder();
    for (TestSigning.Key k : keys) {
      file.append(k.armored());
    }
    return CommitSignatures.load(Files.writeString(dir.resolve("allowed-" + System.nanoTime() + ".asc"), file));
  }

  RevCommit read(ObjectId id) throws Exception {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(id);
    }
  }

  /** A commit of {@link #tree} with {@code message}, signed by {@code signer}. */
  RevCommit signed(PGPKeyPair signer, String message) throws Exception {
    String payload = TestSigning.payload(tree, null, message);
    return read(TestSigning.insertCommit(repo, TestSigning.signedText(payload, TestSigning.sign(signer, payload))));
  }

  @Test
  void commitSignedByAnAllowedEd25519KeyVerifies() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    Verdict v = allowing(key).verify(signed(key.signer(), "add the web network\n"));
    assertEquals(Reason.VERIFIED, v.reason(), v.detail());
    assertTrue(v.verified());
  }

  @Test
  void commitSignedByAnAllowedRsaKeyVerifies() throws Exception {
    TestSigning.Key key = TestSigning.primary(TestSigning.rsa(new Date()), 0);
    Verdict v = allowing(key).verify(signed(key.signer(), "add the web network\n"));
    assertEquals(Reason.VERIFIED, v.reason(), v.detail());
  }

  @Test
  void commitSignedByASubkeyOfAnAllowedKeyVerifies() throws Exception {
    TestSigning.Key key = TestSigning.withSigningSubkey();
    assertTrue(key.signerId() != key.ring().getPublicKey().getKeyID(), "signs with the subkey");
    Verdict v = allowing(key).verify(signed(key.signer(), "subkey\n"));
    assertEquals(Reason.VERIFIED, v.reason(), v.detail());
  }

  @Test
  void anyOfSeveralAllowedKeysMaySign() throws Exception {
    TestSigning.Key alice = TestSigning.ed25519();
    TestSigning.Key bob = TestSigning.ed25519();
    CommitSignatures both = allowing(alice, bob); // two armored blocks one after the other
    assertEquals(2, both.keyIds().size());
    assertTrue(both.verify(signed(alice.signer(), "a\n")).verified());
    assertTrue(both.verify(signed(bob.signer(), "b\n")).verified());
  }

  /**
   * Commits signed by git and gpg 2.2 (an Ed25519 key, and an RSA key's signing subkey), kept as
   * their raw objects: the verifier agrees with the real tools, not only with this test's signer.
   */
  @Test
  void commitsSignedByGitAndGpgVerify() throws Exception {
    CommitSignatures gpgKeys = CommitSignatures.load(resource("gpg-keys.asc"));
    Map<String, String> commits = Map.of("ed25519.commit", "ee729631afc3b7b3de13b166ab13218e04a0607c",
        "rsa-subkey.commit", "227f64b51db2eae13ea3cb86e1fa83a9730ebb01");
    for (Map.Entry<String, String> c : commits.entrySet()) {
      ObjectId id = TestSigning.insertCommit(repo, Files.readAllBytes(resource(c.getKey())));
      assertEquals(c.getValue(), id.name(), "the object is byte for byte the one git wrote");
      Verdict v = gpgKeys.verify(read(id));
      assertEquals(Reason.VERIFIED, v.reason(), c.getKey() + ": " + v.detail());
      assertEquals(Reason.KEY_NOT_ALLOWED, allowing(TestSigning.ed25519()).verify(read(id)).reason());
    }
  }

  static Path resource(String name) throws Exception {
    return Path.of(CommitSignaturesTest.class.getResource("/signed-commits/" + name).toURI());
  }

  @Test
  void unsignedCommitIsRefused() throws Exception {
    RevCommit c = read(TestSigning.insertCommit(repo, TestSigning.payload(tree, null, "unsigned\n")));
    Verdict v = allowing(TestSigning.ed25519()).verify(c);
    assertEquals(Reason.NOT_SIGNED, v.reason());
    assertEquals("not signed", v.detail());
    assertFalse(v.verified());
  }

  @Test
  void commitSignedByAnotherKeyIsRefusedNamingTheKey() throws Exception {
    TestSigning.Key allowed = TestSigning.ed25519();
    TestSigning.Key other = TestSigning.ed25519();
    Verdict v = allowing(allowed).verify(signed(other.signer(), "someone else\n"));
    assertEquals(Reason.KEY_NOT_ALLOWED, v.reason());
    assertEquals("signed by key " + String.format("0x%016X", other.signerId()) + " which is not allowed", v.detail());
  }

  @Test
  void alteringAnyOneByteOfTheSignedContentIsRefused() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    CommitSignatures verifier = allowing(key);
    String payload = TestSigning.payload(tree, null, "add the web network\n");
    byte[] good = TestSigning.signedText(payload, TestSigning.sign(key.signer(), payload)).getBytes(StandardCharsets.UTF_8);
    assertTrue(verifier.verify(read(TestSigning.insertCommit(repo, good))).verified(), "the unaltered commit verifies");

    // a byte of the tree id, of the author's name, of the committer's date and of the message
    String text = new String(good, StandardCharsets.UTF_8);
    int[] positions = {"tree ".length() + 3, text.indexOf("author ") + 8, text.indexOf("committer ") + 40,
        text.indexOf("add the web") + 4};
    for (int at : positions) {
      byte[] altered = good.clone();
      altered[at] = (byte) (Character.isDigit(altered[at]) ? (altered[at] == '1' ? '2' : '1')
          : (altered[at] == 'a' ? 'b' : 'a'));
      Verdict v = verifier.verify(read(TestSigning.insertCommit(repo, altered)));
      assertEquals(Reason.BAD_SIGNATURE, v.reason(), "byte " + at + " altered: " + v.detail());
      assertTrue(v.detail().startsWith("signature does not match the commit"), v.detail());
    }
  }

  @Test
  void aSignatureMovedToAnotherCommitIsRefused() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    String signature = TestSigning.sign(key.signer(), TestSigning.payload(tree, null, "harmless\n"));
    String other = TestSigning.payload(tree, null, "something else\n");
    Verdict v = allowing(key).verify(read(TestSigning.insertCommit(repo, TestSigning.signedText(other, signature))));
    assertEquals(Reason.BAD_SIGNATURE, v.reason(), v.detail());
  }

  @Test
  void revokedKeyIsRefused() throws Exception {
    TestSigning.Key key = TestSigning.ed25519();
    Verdict v = allowing(TestSigning.revoked(key)).verify(signed(key.signer(), "r\n"));
    assertEquals(Reason.KEY_NOT_VALID, v.reason(), v.detail());
    assertTrue(v.detail().endsWith("is revoked"), v.detail());
  }

  @Test
  void keyExpiredWhenItSignedIsRefused() throws Exception {
    Date created = new Date(System.currentTimeMillis() - 10 * 86_400_000L);
    TestSigning.Key key = TestSigning.primary(TestSigning.ed25519(created), 86_400); // one day
    CommitSignatures verifier = allowing(key);
    String payload = TestSigning.payload(tree, null, "late\n");
    byte[] text = payload.getBytes(StandardCharsets.UTF_8);
    RevCommit late = read(TestSigning.insertCommit(repo, TestSigning.signedText(payload,
        TestSigning.sign(key.signer(), text, new Date()))));
    Verdict v = verifier.verify(late);
    assertEquals(Reason.KEY_NOT_VALID, v.reason(), v.detail());
    assertTrue(v.detail().contains("had expired"), v.detail());

    RevCommit inTime = read(TestSigning.insertCommit(repo, TestSigning.signedText(payload,
        TestSigning.sign(key.signer(), text, new Date(created.getTime() + 3_600_000)))));
    assertTrue(verifier.verify(inTime).verified(), "signed while the key was valid");
  }

  @Test
  void anSshSignatureIsNotAnOpenPgpOne() throws Exception {
    String ssh = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTk=\n-----END SSH SIGNATURE-----\n";
    String payload = TestSigning.payload(tree, null, "ssh\n");
    Verdict v = allowing(TestSigning.ed25519()).verify(read(TestSigning.insertCommit(repo, TestSigning.signedText(payload, ssh))));
    assertEquals(Reason.UNREADABLE_SIGNATURE, v.reason(), v.detail());
  }

  @Test
  void signedPayloadDropsTheSignatureHeaderAndItsContinuationLinesOnly() {
    String raw = "tree 1\nauthor a\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n"
        + "encoding UTF-8\n\nmessage\n indented line\ngpgsig in the message stays\n";
    String payload = new String(CommitSignatures.signedPayload(raw.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertEquals("tree 1\nauthor a\nencoding UTF-8\n\nmessage\n indented line\ngpgsig in the message stays\n", payload);
    byte[] unsigned = "tree 1\n\nm".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(unsigned, CommitSignatures.signedPayload(unsigned));
  }

  @Test
  void missingKeyFileIsAClearError() {
    Path missing = dir.resolve("nope.asc");
    CommitSignatures.KeyFileException e = assertThrows(CommitSignatures.KeyFileException.class,
        () -> CommitSignatures.load(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  @Test
  void aSecretKeyIsRefusedForWhatItIs() throws Exception {
    Path f = Files.writeString(dir.resolve("secret.asc"), TestSigning.armoredSecret(TestSigning.ed25519(new Date())));
    CommitSignatures.KeyFileException e = assertThrows(CommitSignatures.KeyFileException.class, () -> CommitSignatures.load(f));
    assertEquals(f + ": holds a secret key; the agent needs only the public one (gpg --export --armor KEYID)", e.getMessage());
  }

  @Test
  void aFileWithoutKeysIsAClearError() throws Exception {
    for (String content : new String[] {"", "hello\n", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n",
        TestSigning.sign(TestSigning.ed25519(new Date()), "a signature, not a key")}) {
      Path f = Files.writeString(dir.resolve("bad.asc"), content);
      CommitSignatures.KeyFileException e = assertThrows(CommitSignatures.KeyFileException.class,
          () -> CommitSignatures.load(f), content);
      assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }
}
