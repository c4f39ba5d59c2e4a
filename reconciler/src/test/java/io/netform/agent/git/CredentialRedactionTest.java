package io.netform.agent.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources as they are shown: no user-info, no password, no token. */
class CredentialRedactionTest {

  @TempDir
  Path dir;

  @Test
  void userInfoIsStrippedFromUrls() {
    assertEquals("https://git.example.org/infra/networks.git",
        Redact.source("https://deploy:glpat-abc123@git.example.org/infra/networks.git"));
    assertEquals("https://github.com/o/r.git", Redact.source("https://ghp_tokenAsUser@github.com/o/r.git"));
    assertEquals("https://host:8443/r.git", Redact.source("https://u:p%40ss@host:8443/r.git"));
    assertEquals("https://host/r.git", Redact.source("https://u:p@ss@host/r.git"), "an unescaped @ in the password");
    assertEquals("ssh://host:2222/srv/r.git", Redact.source("ssh://git:pw@host:2222/srv/r.git"));
    assertEquals("host:srv/r.git", Redact.source("git:pw@host:srv/r.git"), "scp-like with a password");
  }

  @Test
  void sourcesWithoutSecretsStayAsTheyAre() {
    for (String source : List.of("/srv/networks", "/srv/a@b/networks", "file:///srv/networks",
        "git@git.example.org:infra/networks.git", "https://git.example.org/infra/networks.git", "relative/path")) {
      assertEquals(source, Redact.source(source));
    }
  }

  @Test
  void messagesLoseUrlUserInfoAndSecrets() {
    String jgit = "https://deploy@git.example.org/r.git: not authorized; tried https://deploy:tok%2Bxyz@git.example.org/r.git";
    assertEquals("https://git.example.org/r.git: not authorized; tried https://git.example.org/r.git",
        Redact.text(jgit, List.of()));
    assertEquals("password *** rejected, *** too", Redact.text("password tok+xyz rejected, tok%2Bxyz too", List.of("tok%2Bxyz")),
        "as written and URL-decoded");
    assertEquals("ok", Redact.text("ok", List.of("", "k")), "too short to be a secret");
  }

  @Test
  void thePasswordOfASourceIsASecret() {
    assertEquals(List.of("tok%2Bxyz"), Redact.secretsOf("https://deploy:tok%2Bxyz@host/r.git"));
    assertEquals(List.of(), Redact.secretsOf("https://ghp_tokenAsUser@github.com/o/r.git"));
    assertEquals(List.of(), Redact.secretsOf("git@host:r.git"));
  }

  @Test
  void everyQueryValueOfAUrlIsHidden() {
    // token names vary by forge and signing scheme: none is let through by name
    assertEquals("https://git.example.org/r.git?token=***", Redact.source("https://git.example.org/r.git?token=glpat-abc123"));
    assertEquals("https://h/r.git?access_token=***&private_token=***&password=***&key=***&sig=***&ref=***",
        Redact.source("https://h/r.git?access_token=a1&private_token=b2&password=c3&key=d4&sig=e%2Bf&ref=main"));
    assertEquals("https://h/r.git?***", Redact.source("https://h/r.git?ghp_bareToken"), "a parameter without a name");
    assertEquals("https://h:8443/r.git?token=***#frag", Redact.source("https://u:p@h:8443/r.git?token=t0k#frag"));
    assertEquals("https://h/r.git?empty=&token=***", Redact.source("https://h/r.git?empty=&token=t0k"));
  }

  @Test
  void messagesLoseQueryValuesButKeepTheirWording() {
    assertEquals("https://h/r.git?token=***: not authorized; tried 'https://h/r.git?token=***'.",
        Redact.text("https://h/r.git?token=s3cr3t: not authorized; tried 'https://h/r.git?token=s3cr3t'.", List.of()));
    assertEquals("https://h/r.git?sig=*** (https://h/r.git?sig=***)",
        Redact.text("https://h/r.git?sig=s3cr3t (https://h/r.git?sig=s3cr3t)", List.of()));
  }

  @Test
  void queryValuesOfASourceAreSecretsEvenOutsideAUrl() {
    List<String> secrets = Redact.secretsOf("https://deploy:pw1@host/r.git?token=tok%2Bxyz&ref=main&ghp_bare");
    assertEquals(List.of("pw1", "tok%2Bxyz", "main", "ghp_bare"), secrets);
    assertEquals("the token *** was refused", Redact.text("the token tok+xyz was refused", secrets), "also URL-decoded");
  }

  @Test
  void anUnreachableSourceIsReportedWithoutItsCredentials() throws Exception {
    assertReportedWithoutSecrets("https://deploy:glpat-s3cr3t@127.0.0.1:1/infra/networks.git",
        "https://127.0.0.1:1/infra/networks.git");
  }

  @Test
  void anUnreachableSourceIsReportedWithoutTheTokenInItsQuery() throws Exception {
    assertReportedWithoutSecrets("https://127.0.0.1:1/infra/networks.git?private_token=glpat-s3cr3t",
        "https://127.0.0.1:1/infra/networks.git?private_token=***");
  }

  private void assertReportedWithoutSecrets(String url, String shown) throws Exception {
    // nothing listens on port 1: JGit's own message names the URL
    GitCredentials env = GitCredentials.from(
        java.util.Map.of(GitCredentials.USERNAME, "envuser", GitCredentials.PASSWORD, "env-s3cr3t"), url);
    GitSource source = new GitSource(url, "main", dir.resolve("state/source"), Optional.empty(),
        new GitAccess(dir.resolve("ssh"), env));
    assertEquals(shown, source.shown());
    GitSource.SourceUnreachableException e = assertThrows(GitSource.SourceUnreachableException.class, source::sync);
    String message = e.getMessage();
    assertTrue(message.startsWith("cannot read " + shown + " (branch main): "), message);
    assertFalse(message.contains("s3cr3t") || message.contains("deploy"), message);
    assertEquals(null, e.getCause(), "JGit's exception repeats the URL: not kept");
    String config = Files.readString(dir.resolve("state/source/.git/config"));
    assertFalse(config.contains("s3cr3t") || config.contains("deploy"), config);
  }
}
