package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.Decompiler;
import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.desired.DesiredState;
import io.netform.desired.Host;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.fleet.LocalState;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.model.ObservedHost;
import io.netform.net.IpAddress;
import io.netform.plan.Plan;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On sandbox hosts on one LAN holding the multi-host example: each host finds the address it
 * reaches the others from, and show of each host, with that address, plans to no changes there.
 */
@KernelTest
class UnderlayAddressTest {

  SandboxFleet fleet;
  DesiredState desired;

  @BeforeEach
  void setUp() throws Exception {
    desired = Hosts.examples(RepoFiles.examples().resolve("multi-host"));
    fleet = Hosts.wiredFleet(desired);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  KernelHost kernel(String host) {
    return fleet.host(host).host();
  }

  @Test
  void eachHostReachesTheOthersFromItsDeclaredAddressAndNoneWithoutARoute() {
    assertEquals(Optional.of(IpAddress.parse("10.10.10.102")), UnderlayAddress.towards(kernel("docker2").root(),
        List.of(IpAddress.parse("192.168.50.101")), Host.DEFAULT_VXLAN_PORT));
    assertEquals(Optional.of(IpAddress.parse("192.168.50.101")), UnderlayAddress.towards(kernel("docker3").root(),
        List.of(IpAddress.parse("10.10.10.102")), Host.DEFAULT_VXLAN_PORT));
    assertEquals(Optional.empty(), UnderlayAddress.towards(fleet.host("docker2").world(),
        List.of(IpAddress.parse("203.0.113.9")), Host.DEFAULT_VXLAN_PORT), "the world has no route beyond itself");
  }

  @Test
  void eachHostsShowPlansToNoChangesThereAndNamesItsRealAddress() {
    for (String host : desired.fleet().hosts().keySet()) {
      ObservedHost observed = new HostObserver(kernel(host)).observe();
      Optional<IpAddress> address = UnderlayAddress.towards(kernel(host).root(), Decompiler.peers(observed.owned()),
          Host.DEFAULT_VXLAN_PORT);
      Decompiler.Shown shown = Decompiler.show(observed.owned(), new Decompiler.ThisHost(host, address));
      assertEquals(desired.fleet().hosts().get(host), shown.state().fleet().hosts().get(host));
      String yaml = DesiredStateYaml.write(shown.state(), String.join("\n", shown.notes()));
      DesiredStateCheck.Checked reread = DesiredStateCheck.runText("shown.yaml", yaml);
      assertTrue(reread.passes(true), () -> yaml + reread.diagnostics());
      Plan plan = new Converger(kernel(host)).propose(Goal.of(LocalState.forHost(reread.state(), host))).plan();
      assertTrue(plan.isEmpty(), () -> host + " re-plans its show to changes: " + plan.changes() + "\n" + yaml);
    }
  }
}
