package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's options (signatures, metrics address) are checked before it needs root or a kernel. */
class AgentCommandTest {

  @TempDir
  Path dir;

  static void assertUserError(ValidateCommandTest.Result r, String expected) {
    assertEquals(ExitCodes.ERROR, r.code(), r.err());
    assertEquals("netform: " + expected + "\n", r.err(), "one line, no stack trace");
    assertEquals("", r.out());
  }

  ValidateCommandTest.Result agent(String... signatureOptions) {
    String[] args = new String[4 + signatureOptions.length];
    args[0] = "agent";
    args[1] = "--source";
    args[2] = dir.resolve("repo").toString();
    args[3] = "--once";
    System.arraycopy(signatureOptions, 0, args, 4, signatureOptions.length);
    return ValidateCommandTest.run(args);
  }

  @Test
  void aBadListenAddressIsAOneLineErrorWithTheFix() {
    assertUserError(agent("--listen", "127.0.0.1:http"), "--listen '127.0.0.1:http': the port must be a number from 0 to "
        + "65535 (e.g. --listen 127.0.0.1:9469, or --listen none to serve no metrics)");
    assertUserError(agent("--listen", "9469"),
        "--listen takes ADDRESS:PORT, not '9469' (e.g. --listen 127.0.0.1:9469, or --listen none to serve no metrics)");
  }

  @Test
  void verifySignaturesNeedsAllowedKeys() {
    assertUserError(agent("--verify-signatures"),
        "--verify-signatures needs --allowed-keys FILE (export the keys with: gpg --export --armor KEYID > FILE)");
  }

  @Test
  void aSyncWindowLengthWithoutAWindowIsAMistake() {
    ValidateCommandTest.Result r = agent("--sync-window-length", "2h");
    assertEquals(ExitCodes.ERROR, r.code());
    assertTrue(r.err().startsWith("netform: --sync-window-length is how long each --sync-window stays open, and no "
        + "--sync-window is given"), r.err());
  }

  @Test
  void allowedKeysWithoutVerifySignaturesIsAMistake() {
    ValidateCommandTest.Result r = agent("--allowed-keys", "keys.asc");
    assertEquals(ExitCodes.ERROR, r.code());
    assertTrue(r.err().startsWith("netform: --allowed-keys is used only with --verify-signatures"), r.err());
  }

  @Test
  void missingKeyFileIsAOneLineError() {
    Path missing = dir.resolve("allowed-keys.asc");
    assertUserError(agent("--verify-signatures", "--allowed-keys", missing.toString()),
        "--allowed-keys " + missing + ": no such file");
  }

  @Test
  void aFileThatIsNotAKeyIsAOneLineError() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("allowed-keys.asc"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host\n");
    ValidateCommandTest.Result r = agent("--verify-signatures", "--allowed-keys", notAKey.toString());
    assertEquals(ExitCodes.ERROR, r.code());
    assertTrue(r.err().startsWith("netform: --allowed-keys " + notAKey + ": "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  /** The agent command as picocli fills it from {@code args}, without running it. */
  static AgentCommand parsed(String... args) {
    return (AgentCommand) Main.commandLine().parseArgs(args).subcommand().commandSpec().userObject();
  }

  @Test
  void everyDurationOptionTakesUnitsAndIso8601() {
    AgentCommand agent = parsed("agent", "--source", "repo", "--poll", "30s", "--resync", "1h30m",
        "--sync-window-length", "PT2H");
    assertEquals(java.time.Duration.ofSeconds(30), agent.poll);
    assertEquals(java.time.Duration.ofMinutes(90), agent.resync);
    assertEquals(java.time.Duration.ofHours(2), agent.syncWindowLength);
    AgentCommand defaults = parsed("agent", "--source", "repo");
    assertEquals(java.time.Duration.ofSeconds(30), defaults.poll);
    assertEquals(java.time.Duration.ofMinutes(5), defaults.resync);
    assertEquals(java.time.Duration.ofHours(1), defaults.syncWindowLength);
  }

  @Test
  void aBadDurationIsPicocliOneLineErrorNamingTheOptionAndTheForms() {
    for (String option : new String[] {"--poll", "--resync", "--sync-window-length"}) {
      ValidateCommandTest.Result r = agent(option, "30x");
      assertEquals(ExitCodes.ERROR, r.code(), r.err());
      assertEquals("netform: Invalid value for option '" + option + "': '30x' is not a duration; give "
          + DurationConverter.FORMS, r.err().lines().findFirst().orElseThrow());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void helpNamesTheOptions() {
    ValidateCommandTest.Result r = ValidateCommandTest.run("agent", "--help");
    assertTrue(r.out().contains("--verify-signatures") && r.out().contains("--allowed-keys=FILE"), r.out());
  }
}
