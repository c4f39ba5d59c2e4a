package io.netform.kernel.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only what carries netform's markers is owned; everything else is at most a foreign name. */
@KernelTest
class HostObserverTest {

  @Test
  void foreignObjectsAreNeverReportedAsOwned() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"))) {
      Rtnl r = sandbox.host().root().rtnl();
      // Foreign: a user's bridge with an address, a bridge whose alias only looks similar, a docker0, a namespace.
      r.run(r.createBridge(r.batch(), "docker0", 1500, Optional.empty(), Optional.empty(), true));
      r.run(r.createBridge(r.batch(), "user-br", 1500, Optional.empty(), Optional.of("netform:v2 owner=network:x"), true));
      int userBr = r.linkIndex("user-br").orElseThrow();
      r.run(r.addAddress(r.batch(), userBr, "user-br", Cidr.parse("192.0.2.1/24")));
      sandbox.host().namespaces().create("someone-elses");
      // Owned: one bridge with netform's alias.
      r.run(r.createBridge(r.batch(), "nf-web", 1500, Optional.empty(),
          Optional.of(OwnershipAlias.format(Owner.network("web"), Map.of("subnets", "10.1.0.0/24"))), true));

      ObservedHost seen = new HostObserver(sandbox.host()).observe();
      assertTrue(seen.owned().get("link/host/nf-web").isPresent());
      assertTrue(seen.owned().objects().keySet().stream().noneMatch(k -> k.contains("docker0") || k.contains("user-br")),
          seen.owned().objects().keySet()::toString);
      assertTrue(seen.owned().objects().keySet().stream().noneMatch(k -> k.contains("someone-elses")));
      assertTrue(seen.foreign().hostLinkNames().containsAll(java.util.List.of("docker0", "user-br", "eth0", "lo")));
      assertTrue(seen.foreign().namespaces().contains("someone-elses"));
      assertTrue(seen.foreign().hostRoutes().contains(Cidr.parse("192.0.2.0/24")), seen.foreign().hostRoutes()::toString);
      assertEquals("1", seen.owned().get("sysctl/host/net.ipv4.ip_forward").map(o -> "1").orElse("absent"),
          "ip_forward is reported once netform owns a bridge");
    }
  }

  @Test
  void aMarkerOnANamespacesLoopbackMakesItOwned() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
         NetnsHandle box = NetnsHandle.open("box", sandbox.host().namespaces().create("box"))) {
      Rtnl inside = box.rtnl();
      inside.run(inside.setLinkByName(inside.batch(), "lo", Optional.of(true), 0, Optional.empty(),
          Optional.of(OwnershipAlias.format(Owner.container("box"), Map.of()))));
      ObservedHost seen = new HostObserver(sandbox.host()).observe();
      assertTrue(seen.owned().get("netns/box").isPresent());
      assertTrue(seen.foreign().namespaces().isEmpty());
    }
  }
}
