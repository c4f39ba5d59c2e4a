package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.desired.PortMapping;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import io.netform.testing.Tcp;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Docker's {@code -P} (Compose's {@code ports: ["80"]}) on a real kernel: the host port comes from
 * the ephemeral range, the world reaches the container on it, and it stays the same when another
 * container with such a port is declared before it; show lists it as {@code docker port} does.
 */
@KernelTest
class ChosenHostPortsTest {

  private static final String DESIRED = """
      networks:
        n: {ipam: {config: [{subnet: 10.69.0.0/24}]}}
      containers:
      %s  web: {networks: [n], ports: ["80"]}
      """;

  @Test
  void theWorldReachesAChosenPortThatStaysChosen() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-ports"))) {
      Hosts.converge(sandbox.host(), Hosts.desired(DESIRED.formatted("")));
      assertTrue(served(sandbox, "web", 32768), "the world reaches web on the first port of the ephemeral range");
      assertTrue(Hosts.inSync(sandbox.host(), Hosts.desired(DESIRED.formatted(""))), "and it plans to no change");

      DesiredState grown = Hosts.desired(DESIRED.formatted("  first: {networks: [n], ports: [\"80\"]}\n"));
      Proposal proposal = new Converger(sandbox.host()).propose(Goal.of(grown));
      assertFalse(proposal.plan().changes().stream().anyMatch(c -> c.owner().name().equals("web")),
          () -> "web's port is kept: " + proposal.plan().changes());
      Hosts.converge(sandbox.host(), grown);
      assertTrue(served(sandbox, "web", 32768), "web still answers on its port");
      assertTrue(served(sandbox, "first", 32769), "the container declared before it took the next one");

      DesiredState shown = Hosts.shown(new HostObserver(sandbox.host()).observe().owned());
      assertEquals(List.of("32768:80/tcp"), shown.containers().get("web").ports().stream().map(PortMapping::toString).toList());
    }
  }

  /** Whether a connection from the world to the host's address and {@code hostPort} reaches a server on {@code container}'s port 80. */
  private static boolean served(Sandbox sandbox, String container, int hostPort) throws Exception {
    try (NetnsHandle ns = NetnsHandle.open(container, sandbox.host().namespaces().path(container));
         ServerSocket server = ns.call(() -> new ServerSocket(80))) {
      return sandbox.world().call(() -> Tcp.connects(Sandbox.HOST_ADDRESS.toString(), hostPort));
    }
  }

}
