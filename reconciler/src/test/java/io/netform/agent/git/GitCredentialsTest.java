package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.NetRC;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where https credentials come from, and where they are not given. */
class GitCredentialsTest {

  @TempDir
  Path dir;

  static final String SOURCE = "https://git.example.org/infra/networks.git";

  static String[] ask(GitCredentials credentials, String uri) throws Exception {
    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password pass = new CredentialItem.Password();
    if (!credentials.get(new URIish(uri), user, pass)) {
      return null;
    }
    return new String[] {user.getValue(), new String(pass.getValue())};
  }

  @Test
  void theVariablesAnswerForTheSourcesHostOverHttpsOnly() throws Exception {
    GitCredentials c = GitCredentials.from(Map.of(GitCredentials.USERNAME, "deploy", GitCredentials.PASSWORD, "tok"), SOURCE);
    assertEquals("deploy", ask(c, SOURCE)[0]);
    assertEquals("tok", ask(c, "https://git.example.org/other.git")[1]);
    assertEquals(null, ask(c, "https://elsewhere.example.org/infra/networks.git"), "not to a host a redirect leads to");
    assertEquals(null, ask(c, "ssh://git@git.example.org/infra/networks.git"), "not to an ssh server");
    assertFalse(c.isInteractive());
    assertEquals(java.util.List.of("tok"), c.secrets());
  }

  @Test
  void halfSetVariablesAreAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GitCredentials.from(Map.of(GitCredentials.PASSWORD, "tok"), SOURCE));
    assertEquals("set both NETFORM_GIT_USERNAME and NETFORM_GIT_PASSWORD, or neither", e.getMessage());
    assertEquals(java.util.List.of(), GitCredentials.from(Map.of(), SOURCE).secrets());
  }

  @Test
  void netrcAnswersByHostAfterTheVariables() throws Exception {
    Path file = Files.writeString(dir.resolve("netrc"),
        "machine git.example.org login alice password from-netrc\nmachine other.example.org login bob password bobs\n");
    GitCredentials netrcOnly = new GitCredentials(Optional.empty(), Optional.empty(), Optional.of("git.example.org"),
        Optional.of(new NetRC(file.toFile())));
    assertEquals("alice", ask(netrcOnly, SOURCE)[0]);
    assertEquals("from-netrc", ask(netrcOnly, SOURCE)[1]);
    assertEquals("bobs", ask(netrcOnly, "https://other.example.org/r.git")[1]);
    assertEquals(null, ask(netrcOnly, "https://unknown.example.org/r.git"));

    GitCredentials both = new GitCredentials(Optional.of("deploy"), Optional.of("tok"), Optional.of("git.example.org"),
        Optional.of(new NetRC(file.toFile())));
    assertEquals("deploy", ask(both, SOURCE)[0], "the variables first");
  }

  @Test
  void onlyUserAndPasswordAreAnswered() {
    GitCredentials c = GitCredentials.from(Map.of(GitCredentials.USERNAME, "deploy", GitCredentials.PASSWORD, "tok"), SOURCE);
    assertTrue(c.supports(new CredentialItem.Username(), new CredentialItem.Password()));
    assertFalse(c.supports(new CredentialItem.YesNoType("accept host key?")), "never says yes to a host key");
  }
}
