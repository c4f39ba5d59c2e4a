package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.NetRC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's source over smart HTTP with basic authentication (the real git http-backend): the
 * credentials come from the URL, the environment variables or .netrc, and never show up in a
 * message or in the checkout's .git/config. https differs only by TLS, which JGit leaves to Java.
 */
@Timeout(30)
class GitSourceHttpCredentialsTest {

  static final String USER = "deploy";
  static final String TOKEN = "glpat-s3cr3t+t0ken";

  @TempDir
  Path dir;
  Loopback loopback;
  TestHttpGitServer server;
  Git origin;
  ObjectId commit;

  @BeforeEach
  void setUp() throws Exception {
    loopback = new Loopback();
    server = loopback.call(() -> new TestHttpGitServer(dir.resolve("served"), USER, TOKEN));
    origin = Git.init().setInitialBranch("main").setDirectory(dir.resolve("served/networks.git").toFile()).call();
    commit = TestSigning.commit(origin.getRepository(), "main", Map.of("net.yaml", "one"), "one\n", null);
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
    server.close();
    loopback.close();
  }

  GitSource source(String url, GitCredentials credentials) {
    return new GitSource(url, "main", dir.resolve("state/source"), Optional.empty(),
        new GitAccess(dir.resolve("ssh"), credentials));
  }

  static GitCredentials none() {
    return new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  String gitConfig() throws Exception {
    return Files.readString(dir.resolve("state/source/.git/config"));
  }

  @Test
  void credentialsInTheUrlAreUsedAndNeverShown() throws Exception {
    String encoded = TOKEN.replace("+", "%2B");
    GitSource source = source(server.url(USER + ":" + encoded + "@", "networks.git"), none());
    assertEquals(server.url("", "networks.git"), source.shown());
    assertEquals(commit.name(), loopback.call(source::sync));
    assertFalse(gitConfig().contains(encoded) || gitConfig().contains(USER + "@"), gitConfig());
    assertTrue(gitConfig().contains("url = " + server.url("", "networks.git")), gitConfig());
  }

  @Test
  void aWrongTokenInTheUrlFailsWithoutShowingIt() throws Exception {
    String url = server.url(USER + ":wrong-" + TOKEN.replace("+", "%2B") + "@", "networks.git");
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source(url, none())::sync));
    String message = e.getMessage();
    assertTrue(message.startsWith("cannot read " + server.url("", "networks.git") + " (branch main): "), message);
    assertTrue(message.contains("not authorized"), message);
    assertFalse(message.contains("t0ken") || message.contains(USER), message);
    assertEquals(List.of(USER), server.triedUsers, "the URL's credentials were sent");
  }

  @Test
  void theEnvironmentVariablesAnswerTheServer() throws Exception {
    GitCredentials env = GitCredentials.from(
        Map.of(GitCredentials.USERNAME, USER, GitCredentials.PASSWORD, TOKEN), server.url("", "networks.git"));
    assertEquals(commit.name(), loopback.call(source(server.url("", "networks.git"), env)::sync));
  }

  @Test
  void aWrongPasswordInTheEnvironmentIsNotShown() throws Exception {
    String wrong = "wrong-" + TOKEN;
    GitCredentials env = GitCredentials.from(
        Map.of(GitCredentials.USERNAME, USER, GitCredentials.PASSWORD, wrong), server.url("", "networks.git"));
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source(server.url("", "networks.git"), env)::sync));
    assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong), e.getMessage());
  }

  @Test
  void netrcAnswersTheServer() throws Exception {
    Path netrc = Files.writeString(dir.resolve("netrc"), "machine 127.0.0.1 login " + USER + " password " + TOKEN + "\n");
    GitCredentials fromNetrc = new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(new NetRC(netrc.toFile())));
    assertEquals(commit.name(), loopback.call(source(server.url("", "networks.git"), fromNetrc)::sync));
  }

  @Test
  void withoutCredentialsTheServerSaysNo() throws Exception {
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class,
        () -> loopback.call(source(server.url("", "networks.git"), none())::sync));
    assertTrue(e.getMessage().contains("not authorized"), e.getMessage());
    assertEquals(List.of(), server.triedUsers);
  }
}
