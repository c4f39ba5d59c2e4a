package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Outcome;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A bridge keeps the MTU netform gave it whatever its ports do: the kernel adjusts a bridge's MTU
 * to its ports' unless it was set on the bridge itself, and put one created with its MTU back to
 * 1500 when its last container left (found by ConvergenceChainProperties).
 */
@KernelTest
class BridgeMtuTest {

  private static final String NETWORK = """
      version: 1
      networks:
        n0:
          driver_opts: {com.docker.network.driver.mtu: "1400"}
          ipam: {config: [{subnet: 10.200.0.0/24}]}
      """;

  @Test
  void aBridgeKeepsItsMtuWhenItsLastContainerLeaves() throws Exception {
    DesiredState withContainer = Hosts.desired(NETWORK + "containers:\n  c0: {networks: [n0]}\n");
    DesiredState empty = Hosts.desired(NETWORK);
    try (Sandbox s = Sandbox.create(Files.createTempDirectory("netform-sandboxes"))) {
      Outcome cold = Hosts.converge(s.host(), withContainer);
      assertTrue(cold.converged() && cold.rounds().isEmpty(), () -> "cold: " + cold.rounds());
      Outcome removed = Hosts.converge(s.host(), empty);
      assertTrue(removed.rounds().isEmpty(), () -> "the plan did not foresee: " + removed.rounds());
      assertEquals(1400, s.host().root().rtnl().links().stream().filter(l -> l.kind().equals("bridge")).findFirst()
          .orElseThrow().mtu(), "the bridge's MTU once its last port left");
    }
  }
}
