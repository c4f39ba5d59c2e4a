package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock is netform's own file in its state directory, never a file a link there leads to. */
class HostLockTest {

  @TempDir
  Path tmp;

  @Test
  void aLinkInPlaceOfTheLockIsRefusedAndWhatItLeadsToIsUntouched() throws Exception {
    StateDirectory state = StateDirectory.open(Files.createDirectory(tmp.resolve("state")));
    Path victim = Files.writeString(tmp.resolve("victim"), "someone else's data\n");
    Files.createSymbolicLink(state.lock(), victim); // planted after the directory was checked
    StateDirectoryException e = assertThrows(StateDirectoryException.class, () -> HostLock.acquire(state, "apply"));
    assertTrue(e.getMessage().startsWith("refusing " + state.lock() + ": it is a symbolic link"), e.getMessage());
    assertEquals("someone else's data\n", Files.readString(victim));
  }

  @Test
  void theLockIsPrivateAndSaysWhoHoldsIt() throws Exception {
    StateDirectory state = StateDirectory.open(tmp.resolve("state"));
    try (HostLock held = HostLock.acquire(state, "apply (test)")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.lock())));
      HostLock.LockedException e = assertThrows(HostLock.LockedException.class, () -> HostLock.acquire(state, "destroy"));
      assertTrue(e.getMessage().contains("(pid " + ProcessHandle.current().pid() + ", apply (test), since "), e.getMessage());
    }
  }
}
