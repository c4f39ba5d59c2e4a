package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.StateDirectory;
import io.netform.kernel.StateDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of the last change by hand: read back as written; a damaged one says what is wrong with it. */
class HandChangeTest {

  @TempDir
  Path dir;

  @Test
  void aRecordIsReadBackAndADamagedOneSaysWhy() throws Exception {
    StateDirectory state = StateDirectory.open(dir.resolve("state"));
    HandChange.begin(state, "netform destroy");
    assertEquals("netform destroy", HandChange.read(state).orElseThrow().command());

    Files.writeString(state.handChange(), "{\"at\": \"2026-12-01T08:00:00Z\"}\n");
    StateDirectoryException noCommand = assertThrows(StateDirectoryException.class, () -> HandChange.read(state));
    assertTrue(noCommand.getMessage().startsWith("the record of changes by hand " + state.handChange()
        + " is damaged (it names no command): "), noCommand.getMessage());

    Files.writeString(state.handChange(), "{\"command\": \"netform apply\"");
    StateDirectoryException notJson = assertThrows(StateDirectoryException.class, () -> HandChange.read(state));
    assertTrue(notJson.getMessage().contains(" is damaged (not JSON: "), notJson.getMessage());
    assertTrue(notJson.getMessage().endsWith("the agent's next reconcile tells what the host holds"), notJson.getMessage());
  }
}
