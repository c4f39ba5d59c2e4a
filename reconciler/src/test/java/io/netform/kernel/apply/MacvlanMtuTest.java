package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Outcome;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A change the kernel refuses names the container's interface and what changed, and says what the
 * kernel allows where netform knows it: a macvlan interface's MTU cannot exceed its parent's.
 */
@KernelTest
class MacvlanMtuTest {

  private static String network(String mtu) {
    return """
        version: 1
        networks:
          mv:
            driver: macvlan
            parent: eth0
            driver_opts: {com.docker.network.driver.mtu: "%s"}
            ipam: {config: [{subnet: 172.16.10.0/24, gateway: 172.16.10.1}]}
        containers:
          mv1: {networks: [mv]}
        """.formatted(mtu);
  }

  @Test
  void anMtuAboveTheParentsIsRefusedWithWhatAndWhy() throws Exception {
    DesiredState small = Hosts.desired(network("1400"));
    DesiredState big = Hosts.desired(network("9000"));
    try (Sandbox s = Sandbox.create(Files.createTempDirectory("netform-sandboxes"))) {
      Outcome cold = Hosts.converge(s.host(), small);
      assertTrue(cold.converged(), () -> "cold: " + cold);
      Converger converger = new Converger(s.host());
      Goal goal = Goal.of(big);
      Outcome refused = converger.apply(converger.propose(goal), goal, step -> { });
      String message = refused.failure().orElseThrow(() -> new AssertionError("the kernel took MTU 9000")).message();
      assertTrue(message.contains("EINVAL changing macvlan") && message.contains("mv1/eth0") && message.contains("mtu 1400 -> 9000"),
          message);
      assertTrue(message.contains("cannot exceed its parent's (eth0)"), message);
      assertTrue(Hosts.inSync(s.host(), small), "the refused change left the host as it was (MTU 1400)");
    }
  }
}
