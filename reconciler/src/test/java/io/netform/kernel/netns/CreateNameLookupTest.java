package io.netform.kernel.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import org.junit.jupiter.api.Test;

/**
 * The probe tells the kernel's behaviour as its version says it (6.15 made a link created into
 * another namespace be looked up there), and leaves nothing behind in the caller's namespace.
 */
@KernelTest
class CreateNameLookupTest {

  @Test
  void theProbeAgreesWithTheKernelVersionAndLeavesNothingHere() {
    String[] version = System.getProperty("os.version").split("[.-]");
    int major = Integer.parseInt(version[0]);
    int minor = Integer.parseInt(version[1]);
    boolean expected = major > 6 || (major == 6 && minor >= 15);
    assertEquals(expected, CreateNameLookup.inTargetNamespace(), "kernel " + System.getProperty("os.version"));
    assertEquals(expected, CreateNameLookup.inTargetNamespace(), "asked again: the same answer");
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      assertTrue(new Rtnl(socket).links().stream().noneMatch(l -> l.name().startsWith("probe")),
          "the probe's links lived and died in its own namespaces");
    }
  }
}
