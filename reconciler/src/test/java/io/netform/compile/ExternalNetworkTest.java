package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.testing.Hosts;
import io.netform.testing.Tcp;
import io.netform.validate.DesiredStateCheck;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Compose's {@code external: true} on a real kernel: a bridge the "host" already has (made here
 * as Docker or the host's own configuration would) takes netform's containers, which reach each
 * other and the host through it; netform changes nothing of the bridge, keeps the containers'
 * addresses, shows the network as external, leaves the bridge when it destroys, and refuses to
 * plan while the bridge is missing.
 */
@KernelTest
class ExternalNetworkTest {

  private static String desired(String containers) {
    return """
        networks:
          lan:
            name: br-lan
            external: true
            ipam:
              config:
                - subnet: 10.66.0.0/24
                  ip_range: 10.66.0.128/25
        containers:
        """ + containers;
  }

  private static final String TWO = desired("""
        a: {networks: [lan]}
        b: {networks: [lan]}
      """);

  @Test
  void containersJoinAnExistingBridgeWhichNetformNeverChanges() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-external"))) {
      Rtnl host = sandbox.host().root().rtnl();
      host.run(host.createBridge(host.batch(), "br-lan", 1500, Optional.empty(), Optional.empty(), true));
      int lan = host.linkIndex("br-lan").orElseThrow();
      host.run(host.addAddress(host.batch(), lan, "br-lan", Cidr.parse("10.66.0.1/24")));
      List<String> bridgeBefore = bridgeAddresses(host, lan);

      Hosts.converge(sandbox.host(), Hosts.desired(TWO));
      try (NetnsHandle a = NetnsHandle.open("a", sandbox.host().namespaces().path("a"));
           NetnsHandle b = NetnsHandle.open("b", sandbox.host().namespaces().path("b"))) {
        try (ServerSocket server = b.call(() -> new ServerSocket(7000));
             ServerSocket onHost = sandbox.host().root().call(() -> new ServerSocket(7001))) {
          assertTrue(a.call(() -> Tcp.connects("10.66.0.129", 7000)), "a reaches b across the existing bridge");
          assertTrue(a.call(() -> Tcp.connects("10.66.0.1", 7001)), "a reaches the host's address on the bridge");
        }
      }
      assertEquals(bridgeBefore, bridgeAddresses(host, lan), "no address of netform's on the bridge");
      assertEquals(1500, host.link("br-lan").orElseThrow().mtu());
      assertEquals(Optional.empty(), host.link("br-lan").orElseThrow().alias(), "the bridge is not marked as netform's");

      // A container declared before the others does not move them: their addresses are read back from the host.
      Proposal grown = new Converger(sandbox.host()).propose(Goal.of(Hosts.desired(desired("""
            first: {networks: [lan]}
            a: {networks: [lan]}
            b: {networks: [lan]}
          """))));
      assertTrue(grown.plan().changes().stream().allMatch(c -> c.owner().name().equals("first")),
          () -> "only the new container changes: " + grown.plan().changes());

      // show writes the network back as external; that desired state plans to no changes here.
      ObservedHost observed = new HostObserver(sandbox.host()).observe();
      String shown = DesiredStateYaml.write(Hosts.shown(observed.owned()), "shown");
      DesiredStateCheck.Checked reread = DesiredStateCheck.runText("shown.yaml", shown);
      assertTrue(reread.passes(true), () -> shown + reread.diagnostics());
      assertTrue(reread.state().networks().get("br-lan").external(), shown);
      assertTrue(Hosts.inSync(sandbox.host(), reread.state()), shown);

      Hosts.converge(sandbox.host(), DesiredState.empty());
      assertTrue(host.link("br-lan").isPresent(), "destroy leaves the bridge");
      assertEquals(bridgeBefore, bridgeAddresses(host, lan));

      Proposal missing = new Converger(sandbox.host()).propose(Goal.of(Hosts.desired(desired("""
            a: {networks: {lan: {}}}
          """).replace("br-lan", "br-gone"))));
      assertTrue(missing.isBlocked());
      assertTrue(missing.plan().conflicts().get(0).message().startsWith("bridge \"br-gone\""),
          missing.plan().conflicts()::toString);
    }
  }

  private static List<String> bridgeAddresses(Rtnl host, int index) {
    return host.addresses().stream().filter(a -> a.linkIndex() == index).map(AddressInfo::address).map(Cidr::toString)
        .filter(a -> !a.startsWith("fe80")).sorted().toList();
  }

}
