package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.kernel.HostLock;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.firewall.FirewallException;
import io.netform.kernel.netlink.NetlinkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failures of the kernel, the firewall, the lock or I/O are told as messages; only the rest is a bug. */
class MainTest {

  @Test
  void environmentFailuresAreMessagesNotBugs() {
    assertEquals(Optional.of("EPERM creating bridge br0: Operation not permitted"),
        Main.notABug(new NetlinkException(1, "creating bridge br0", null)));
    assertEquals(Optional.of("ENOENT opening /run/netns/x: No such file or directory"),
        Main.notABug(new SyscallException("opening /run/netns/x", 2)));
    assertEquals(Optional.of("iptables-restore: not found"), Main.notABug(new FirewallException("iptables-restore: not found")));
    assertEquals(Optional.of("another netform is changing this host"),
        Main.notABug(new HostLock.LockedException("another netform is changing this host")));
    assertEquals(Optional.of("/x: permission denied"), Main.notABug(new AccessDeniedException("/x")));
    assertEquals(Optional.of("/x: permission denied"), Main.notABug(new UncheckedIOException(new AccessDeniedException("/x"))));
    assertEquals(Optional.of("creating the sandbox in /y: disk full"),
        Main.notABug(new UncheckedIOException("creating the sandbox in /y: disk full", new IOException("disk full"))));
  }

  @Test
  void anythingElseIsABug() {
    assertEquals(Optional.empty(), Main.notABug(new IllegalStateException("unexpected")));
    assertEquals(Optional.empty(), Main.notABug(new NullPointerException()));
  }
}
