package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Ports published through an external network's bridge (one netform does not manage): reached
 * from the world and from the host through a host address, with rules that belong to the
 * container alone, even where the FORWARD policy drops everything else; and nothing of the bridge
 * changes. Real TCP in a sandbox.
 */
@KernelTest
class ExternalPublishingTest extends InSandbox {

  static final String STATE = """
      networks:
        lan:
          name: br-lan
          external: true
          ipam: {config: [{subnet: 10.66.0.0/24}]}
      containers:
        web: {networks: {lan: {ipv4_address: 10.66.0.10}}, ports: ["8085:80"]}
      """;

  @Test
  void aPortIsPublishedThroughABridgeNetformDoesNotManage() throws Exception {
    DesiredState desired = BehaviourTest.yaml(STATE);
    // The bridge's owner (Docker, the host's configuration) made it and routes for it; its FORWARD policy drops.
    List<String> bridges = ApplyExamplesTest.makeExternalBridges(sandbox, desired);
    PublishedPortsTest.run(sandbox.host().root(), "sysctl", "-qw", "net.ipv4.ip_forward=1");
    PublishedPortsTest.run(sandbox.host().root(), "iptables", "-P", "FORWARD", "DROP");
    Hosts.converge(sandbox.host(), desired);
    ServerSocket web = listen(ns("web"), 80);
    assertEquals(Optional.of(Sandbox.WORLD_ADDRESS.toString()),
        PublishedPortsTest.seenBy(web, sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 8085), "from the world");
    assertEquals(Optional.of(Sandbox.HOST_ADDRESS.toString()),
        PublishedPortsTest.seenBy(web, sandbox.host().root(), Sandbox.HOST_ADDRESS.toString(), 8085), "from the host");
    String rules = PublishedPortsTest.output(sandbox.host().root(), "iptables-save");
    assertTrue(rules.lines().anyMatch(l -> l.contains("br-lan")), "the container's rules name the bridge:\n" + rules);
    assertTrue(rules.lines().filter(l -> l.contains("br-lan")).allMatch(l -> l.contains(":container:web\"")),
        "every rule naming the bridge is the container's:\n" + rules);

    Converger converger = new Converger(sandbox.host());
    Goal nothing = Goal.of(DesiredState.empty());
    converger.apply(converger.propose(nothing), nothing, step -> { });
    assertFalse(PublishedPortsTest.output(sandbox.host().root(), "iptables-save").contains("netform:"), "no rule left");
    assertEquals(bridges, ApplyExamplesTest.makeExternalBridges(sandbox, DesiredState.empty()), "the bridge is as it was");
  }
}
