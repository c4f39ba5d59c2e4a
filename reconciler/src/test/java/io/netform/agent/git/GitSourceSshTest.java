package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's source over ssh://: a real ssh server (Apache MINA, in this JVM) serving the real
 * git-upload-pack, with keys and known_hosts from a directory of the test's own. No root needed.
 */
@Timeout(30)
class GitSourceSshTest {

  @TempDir
  Path dir;
  Loopback loopback;
  TestSshServer server;
  KeyPair clientKey;
  Git origin;
  Path sshDir;

  @BeforeEach
  void setUp() throws Exception {
    loopback = new Loopback();
    clientKey = TestSshServer.clientKey();
    server = loopback.call(() -> new TestSshServer(clientKey));
    origin = Git.init().setInitialBranch("main").setDirectory(dir.resolve("origin").toFile()).call();
    sshDir = dir.resolve("ssh");
    TestSshServer.writeIdentity(sshDir, clientKey);
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
    server.close();
    loopback.close();
  }

  GitSource source() {
    return source(server.url(dir.resolve("origin")));
  }

  GitSource source(String url) {
    GitCredentials none = new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    return new GitSource(url, "main", dir.resolve("state/source"), Optional.empty(), new GitAccess(sshDir, none));
  }

  ObjectId commit(String content) throws Exception {
    return TestSigning.commit(origin.getRepository(), "main", Map.of("net.yaml", content), content + "\n", null);
  }

  void knownHosts(String content) throws Exception {
    Files.writeString(sshDir.resolve("known_hosts"), content);
  }

  @Test
  void followsTheBranchOverSsh() throws Exception {
    knownHosts(server.knownHostsLine() + "\n");
    GitSource source = source();
    ObjectId first = commit("one");
    assertEquals(first.name(), loopback.call(source::sync));
    assertEquals("one", Files.readString(dir.resolve("state/source/net.yaml")));
    ObjectId second = commit("two");
    assertEquals(second.name(), loopback.call(source::sync), "the second commit is fetched");
    assertEquals("two", Files.readString(dir.resolve("state/source/net.yaml")));
  }

  @Test
  void readsTheConfigOfItsSshDirectory() throws Exception {
    knownHosts(server.knownHostsLine() + "\n");
    Files.writeString(sshDir.resolve("config"),
        "Host githost\n  HostName 127.0.0.1\n  Port " + server.port() + "\n  User git\n");
    ObjectId first = commit("one");
    // the scp-like form, with host, port and user from DIR/config
    GitSource source = source("githost:" + dir.resolve("origin"));
    assertEquals(first.name(), loopback.call(source::sync));
  }

  @Test
  void anUnknownHostIsRefusedWithWhatToDo() throws Exception {
    knownHosts("");
    commit("one");
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source()::sync));
    String message = e.getMessage();
    assertTrue(message.contains("[127.0.0.1]:" + server.port() + " (ecdsa-sha2-nistp256 SHA256:"), message);
    assertTrue(message.contains("is not in " + sshDir.resolve("known_hosts")), message);
    assertTrue(message.contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + sshDir.resolve("known_hosts")),
        message);
    assertFalse(Files.exists(dir.resolve("state/source/net.yaml")), "nothing fetched");
    assertEquals("", Files.readString(sshDir.resolve("known_hosts")), "the key was not learnt");
  }

  @Test
  void anSshConfigSayingNotToCheckDoesNotLetAnUnknownHostIn() throws Exception {
    knownHosts("");
    Files.writeString(sshDir.resolve("config"), "Host *\n  StrictHostKeyChecking no\n");
    commit("one");
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source()::sync));
    assertTrue(e.getMessage().contains("is not in " + sshDir.resolve("known_hosts")), e.getMessage());
    assertEquals("", Files.readString(sshDir.resolve("known_hosts")), "the key was not learnt");
  }

  @Test
  void aChangedHostKeyIsRefused() throws Exception {
    String otherKey = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(TestSshServer.clientKey().getPublic());
    knownHosts("[127.0.0.1]:" + server.port() + " " + otherKey + "\n");
    commit("one");
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source()::sync));
    assertTrue(e.getMessage().contains("does not match the one in " + sshDir.resolve("known_hosts")), e.getMessage());
    assertTrue(e.getMessage().contains("ssh-keygen -R '[127.0.0.1]:" + server.port() + "'"), e.getMessage());
  }

  @Test
  void aKeyTheServerDoesNotKnowFailsCleanly() throws Exception {
    knownHosts(server.knownHostsLine() + "\n");
    TestSshServer.writeIdentity(sshDir, TestSshServer.clientKey());
    commit("one");
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source()::sync));
    String message = e.getMessage();
    assertTrue(message.startsWith("cannot read ssh://127.0.0.1:" + server.port() + "/"), message);
    assertTrue(message.contains("(branch main): Cannot log in at 127.0.0.1:" + server.port()), message);
    assertTrue(message.contains("server refused ssh-ed25519 key " + sshDir.resolve("id_ed25519")), message);
    assertFalse(message.contains("\n") || message.contains("Exception"), "one line, no stack trace: " + message);
    assertFalse(message.contains("known_hosts"), "not a host key problem: " + message);
    assertFalse(Files.exists(dir.resolve("state/source/net.yaml")), "nothing fetched");
  }
}
