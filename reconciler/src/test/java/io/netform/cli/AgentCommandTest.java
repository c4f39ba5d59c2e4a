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

  @Test
  void helpNamesTheOptions() {
    ValidateCommandTest.Result r = ValidateCommandTest.run("agent", "--help");
    assertTrue(r.out().contains("--verify-signatures") && r.out().contains("--allowed-keys=FILE"), r.out());
  }
}
