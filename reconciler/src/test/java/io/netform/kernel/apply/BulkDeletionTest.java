package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import io.netform.model.ObservedHost;
import io.netform.plan.Planner;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many containers removed at once go with their namespaces (see BulkDeletion):
 * nothing of theirs is left on the host, not even when a process keeps one namespace alive.
 */
@KernelTest
class BulkDeletionTest {

  static final int CONTAINERS = 12;

  /** {@code containers} containers c0, c1, … on two networks, some on both. */
  static String yaml(int containers) {
    StringBuilder yaml = new StringBuilder("""
        version: 1
        networks:
          front: {ipam: {config: [{subnet: 10.61.0.0/24}]}}
          back: {ipam: {config: [{subnet: 10.62.0.0/24}]}}
        """);
    yaml.append(containers > 0 ? "containers:\n" : "");
    for (int i = 0; i < containers; i++) {
      String networks = i % 3 == 0 ? "front, back" : i % 2 == 0 ? "front" : "back";
      yaml.append("  c").append(i).append(": {networks: [").append(networks).append("]}\n");
    }
    return yaml.toString();
  }

  static DesiredState desired(int containers) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("bulk.yaml", yaml(containers));
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return checked.state();
  }

  @Test
  void removedTogetherTheyLeaveNothingBehind() throws Exception {
    try (Sandbox sandbox = Sandbox.create(ApplyExamplesTest.sandboxRoot())) {
      Hosts.converge(sandbox.host(), desired(CONTAINERS));
      Set<String> hostLinksBefore = hostLinks(sandbox);
      // A process inside c5 would keep its namespace alive after netform unmounts it; an open file does the same.
      Path held = sandbox.host().namespaces().path("c5");
      int fd = LibC.get().open(held.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
      assertTrue(fd >= 0);
      try {
        var plan = Hosts.converge(sandbox.host(), desired(2)).plan(); // c2..c11 go: 10 namespaces, at once
        assertEquals(10, plan.steps().stream().filter(s -> s.object() instanceof io.netform.model.NamespaceObject).count());
        ObservedHost after = new HostObserver(sandbox.host()).observe();
        assertTrue(Planner.plan(Hosts.target(desired(2), after), after).isEmpty(), "converged");
        assertEquals(Set.of("c0", "c1"), Set.copyOf(sandbox.host().namespaces().list()));
        assertEquals(Set.of("c0", "c1"), sandbox.host().inventory().namespaces().keySet());
        Set<String> veths = hostLinks(sandbox).stream().filter(n -> n.startsWith("nfv")).collect(Collectors.toSet());
        assertEquals(3, veths.size(), "c0 on two networks, c1 on one: " + veths);
        assertTrue(hostLinksBefore.containsAll(hostLinks(sandbox)));
        // The held namespace lives on, cut off: its veth was deleted from the host, which took the pair.
        try (NetnsHandle kept = NetnsHandle.open("c5", Path.of("/proc/self/fd/" + fd))) {
          assertEquals(List.of("lo"), kept.rtnl().links().stream().map(l -> l.name()).toList());
        }
      } finally {
        LibC.get().close(fd);
      }
      Hosts.converge(sandbox.host(), desired(0)); // the networks stay
      assertTrue(sandbox.host().namespaces().list().isEmpty());
      assertTrue(hostLinks(sandbox).stream().noneMatch(n -> n.startsWith("nfv")), hostLinks(sandbox).toString());
    }
  }

  /**
   * kill -9 inside a bulk deletion: after the first namespace is unmounted, after half of them,
   * after all, and after the inventory is written. The next apply converges, nothing left behind.
   */
  @Test
  void aBulkDeletionKilledAnywhereConverges() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("netform-bulk");
    Path full = java.nio.file.Files.writeString(dir.resolve("full.yaml"), yaml(CONTAINERS));
    Path none = java.nio.file.Files.writeString(dir.resolve("none.yaml"), yaml(0));
    try (io.netform.kernel.Namespaces ns = new io.netform.kernel.Namespaces()) {
      for (int crashAt : new int[] {1, CONTAINERS / 2, CONTAINERS, CONTAINERS + 1}) {
        NetnsHandle host = ns.create("bulk" + crashAt);
        Path state = java.nio.file.Files.createTempDirectory("netform-bulk-state");
        Path netns = java.nio.file.Files.createTempDirectory("netform-bulk-netns");
        assertEquals(0, CrashTest.netform(host, state, netns, full));
        assertEquals(137, CrashTest.netform(host, state, netns, none, "-Dnetform.test.crashInBulkDeletion=" + crashAt),
            "halted inside the bulk deletion at " + crashAt);
        assertEquals(0, CrashTest.netform(host, state, netns, none), "the next apply converges after a crash at " + crashAt);
        io.netform.kernel.KernelHost kernel = new io.netform.kernel.KernelHost(host,
            new io.netform.kernel.netns.NamedNamespaces(netns), state, new io.netform.kernel.firewall.IptablesBackend(host));
        ObservedHost seen = new HostObserver(kernel).observe();
        assertTrue(Planner.plan(Hosts.target(desired(0), seen), seen).isEmpty(), "converged, crash at " + crashAt);
        assertTrue(kernel.namespaces().list().isEmpty(), "no namespace left, crash at " + crashAt);
        assertTrue(kernel.inventory().namespaces().isEmpty(), "none in the inventory, crash at " + crashAt);
        assertTrue(host.rtnl().links().stream().noneMatch(l -> l.name().startsWith("nfv")), "no veth left, crash at " + crashAt);
        CrashTest.assertNoDuplicateRules(host, crashAt);
        kernel.namespaces().unmountDirectory();
      }
    }
  }

  private static Set<String> hostLinks(Sandbox sandbox) {
    return sandbox.host().root().rtnl().links().stream().map(l -> l.name()).collect(Collectors.toSet());
  }
}
