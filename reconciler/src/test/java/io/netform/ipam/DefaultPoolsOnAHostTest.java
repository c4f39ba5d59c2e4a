package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.BridgeObject;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.snapshot.Snapshot;
import io.netform.testing.Hosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A network without a subnet on a host whose LAN already uses Docker's first pool: the live plan
 * and a plan against a snapshot of that host take the next pool (Docker's FindAvailableNetwork)
 * instead of refusing; once applied the subnet stays when the host later routes it.
 */
@KernelTest
class DefaultPoolsOnAHostTest {

  private static final DesiredState AUTO = Hosts.desired("""
      networks:
        auto: {}
      containers:
        app:
          networks: [auto]
      """);

  @Test
  void theLiveAndTheSnapshotPlanSkipTheHostsLanAndTheSubnetStaysWhenTheHostLaterRoutesIt() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-pools"))) {
      Rtnl host = sandbox.host().root().rtnl();
      host.run(host.createBridge(host.batch(), "lan0", 1500, Optional.empty(), Optional.empty(), true));
      int lan = host.linkIndex("lan0").orElseThrow();
      host.run(host.addAddress(host.batch(), lan, "lan0", Cidr.parse("172.17.0.5/16")));

      Path snapshot = Files.createTempFile("netform-pools", ".json");
      Snapshot.write(new HostObserver(sandbox.host()).observe(), snapshot);
      Proposal offline = Proposal.against(Snapshot.read(snapshot), Goal.of(AUTO));
      assertFalse(offline.isBlocked(), () -> offline.plan().conflicts().toString());
      assertEquals(List.of(Cidr.parse("172.18.0.0/16")), bridgeSubnets(offline.target().model().objects().values()),
          "a plan against the snapshot skips the host's LAN");

      Hosts.converge(sandbox.host(), AUTO);
      assertEquals(List.of(Cidr.parse("172.18.0.0/16")), bridgeSubnets(observe(sandbox).owned().objects().values()),
          "the live apply made the bridge in the next free pool");

      // Later the host gains a route into that subnet (a VPN, say): nothing is renumbered or blocked.
      host.run(host.replaceRoute(host.batch(), Cidr.parse("172.18.64.0/18"), Optional.empty(), lan, Nl.RTPROT_STATIC));
      ObservedHost later = observe(sandbox);
      assertTrue(later.foreign().hostRoutes().contains(Cidr.parse("172.18.64.0/18")), later.foreign()::toString);
      Proposal again = new Converger(sandbox.host()).propose(Goal.of(AUTO));
      assertFalse(again.isBlocked(), () -> again.plan().conflicts().toString());
      assertTrue(again.plan().isEmpty(), () -> "the live network keeps its subnet: " + again.plan().changes());
    }
  }

  private static ObservedHost observe(Sandbox sandbox) {
    return new HostObserver(sandbox.host()).observe();
  }

  private static List<Cidr> bridgeSubnets(java.util.Collection<io.netform.model.KernelObject> objects) {
    return objects.stream().filter(o -> o instanceof BridgeObject b && b.owner().name().equals("auto"))
        .flatMap(o -> ((BridgeObject) o).subnets().stream()).toList();
  }
}
